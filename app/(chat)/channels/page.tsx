import { ChannelBrowser } from '@/components/chat/ChannelBrowser';

export default function ChannelsPage() {
  return <ChannelBrowser />;
}
