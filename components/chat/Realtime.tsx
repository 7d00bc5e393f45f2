'use client';

import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@/lib/realtime/contract';

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

interface RealtimeValue {
  socket: ChatSocket | null;
  state: ConnectionState;
}

const RealtimeContext = createContext<RealtimeValue>({ socket: null, state: 'connecting' });

/** One Socket.IO connection per tab, authenticated by the session cookie. */
export function RealtimeProvider({ children }: { children: ReactNode }) {
  const [socket, setSocket] = useState<ChatSocket | null>(null);
  const [state, setState] = useState<ConnectionState>('connecting');

  useEffect(() => {
    const s: ChatSocket = io({ path: '/socket.io', withCredentials: true, transports: ['websocket', 'polling'] });
    setSocket(s);
    // The server sends web push only to users with no visible Chattrix tab.
    const reportVisibility = () => {
      if (s.connected) s.emit('client:visibility', { visible: document.visibilityState === 'visible' }, () => {});
    };
    s.on('connect', () => {
      setState('connected');
      reportVisibility();
    });
    document.addEventListener('visibilitychange', reportVisibility);
    s.on('disconnect', (reason) => {
      setState(navigator.onLine ? 'reconnecting' : 'offline');
      // A server-side kick (e.g. a restart) does not reconnect by itself.
      if (reason === 'io server disconnect' && navigator.onLine) setTimeout(() => s.connect(), 1000);
    });
    s.on('connect_error', (err) => {
      if (err.message === 'unauthorized') window.location.assign('/login');
      else setState(navigator.onLine ? 'reconnecting' : 'offline');
    });
    // The browser knows before a ping times out: drop the connection at once, and come back when the network does.
    const onOffline = () => {
      setState('offline');
      s.disconnect();
    };
    const onOnline = () => {
      setState('reconnecting');
      if (!s.connected) s.connect();
    };
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);
    return () => {
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      document.removeEventListener('visibilitychange', reportVisibility);
      s.close();
    };
  }, []);

  const value = useMemo(() => ({ socket, state }), [socket, state]);
  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

export function useRealtime(): RealtimeValue {
  return useContext(RealtimeContext);
}
