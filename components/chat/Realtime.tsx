'use client';

import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { io, type Socket } from 'socket.io-client';
import { loginUrlFor } from '@/lib/auth/next-path';
import type { ClientToServerEvents, ServerToClientEvents } from '@/lib/realtime/contract';

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline';

interface RealtimeValue {
  socket: ChatSocket | null;
  state: ConnectionState;
}

/** Hidden this long with no input: presence shows "away". */
export const AWAY_AFTER_MS = 10 * 60_000;

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
    // Away: hidden for 10 minutes with no input. One `client:away` frame when it turns away and one when input comes
    // back; nothing else (an idle tab sends only pings).
    let away = false;
    let awayTimer: ReturnType<typeof setTimeout> | undefined;
    const armAway = () => {
      if (awayTimer) clearTimeout(awayTimer);
      awayTimer = undefined;
      if (document.visibilityState === 'hidden') {
        awayTimer = setTimeout(() => {
          if (!s.connected || away) return;
          away = true;
          s.emit('client:away', { away: true }, () => {});
        }, AWAY_AFTER_MS);
      }
    };
    const onInput = () => {
      if (away) {
        away = false;
        if (s.connected) s.emit('client:away', { away: false }, () => {});
      }
      armAway();
    };
    const onVisibility = () => {
      reportVisibility();
      if (document.visibilityState === 'visible') onInput();
      else armAway();
    };
    s.on('connect', () => {
      setState('connected');
      reportVisibility();
      // A new socket starts present on the server.
      away = false;
      armAway();
    });
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('keydown', onInput, { passive: true });
    window.addEventListener('pointerdown', onInput, { passive: true });
    s.on('disconnect', (reason) => {
      setState(navigator.onLine ? 'reconnecting' : 'offline');
      // A server-side kick (e.g. a restart) does not reconnect by itself.
      if (reason === 'io server disconnect' && navigator.onLine) setTimeout(() => s.connect(), 1000);
    });
    s.on('connect_error', (err) => {
      if (err.message === 'unauthorized') window.location.assign(loginUrlFor(window.location.pathname + window.location.search));
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
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('keydown', onInput);
      window.removeEventListener('pointerdown', onInput);
      if (awayTimer) clearTimeout(awayTimer);
      s.close();
    };
  }, []);

  const value = useMemo(() => ({ socket, state }), [socket, state]);
  return <RealtimeContext.Provider value={value}>{children}</RealtimeContext.Provider>;
}

export function useRealtime(): RealtimeValue {
  return useContext(RealtimeContext);
}
