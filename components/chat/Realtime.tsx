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
    s.on('connect', () => setState('connected'));
    s.on('disconnect', () => setState(navigator.onLine ? 'reconnecting' : 'offline'));
    s.on('connect_error', (err) => {
      if (err.message === 'unauthorized') window.location.assign('/login');
      else setState(navigator.onLine ? 'reconnecting' : 'offline');
    });
    const onOffline = () => setState('offline');
    const onOnline = () => {
      setState('reconnecting');
      if (!s.connected) s.connect();
    };
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);
    return () => {
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      s.close();
    };
  }, []);

  const value = useMemo(() => ({ socket, state }), [socket, state]);
  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

export function useRealtime(): RealtimeValue {
  return useContext(RealtimeContext);
}
