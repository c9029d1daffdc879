import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatEntry, SocketFrame } from '../types.js';

export type Connection = 'connecting' | 'live' | 'reconnecting' | 'ended';

export interface ChatState {
  entries: ChatEntry[];
  channels: string[];
  connection: Connection;
}

const SESSION_ENDED = 4401;

/** The live conversation: a snapshot on connect, then each posted or updated message; reconnects with backoff. */
export function useChat(initialChannels: string[], onActivity: () => void): ChatState {
  const [entries, setEntries] = useState<ChatEntry[]>([]);
  const [channels, setChannels] = useState<string[]>(initialChannels);
  const [connection, setConnection] = useState<Connection>('connecting');
  const activity = useRef(onActivity);
  activity.current = onActivity;

  useEffect(() => {
    let socket: WebSocket | undefined;
    let retry: number | undefined;
    let attempts = 0;
    let stopped = false;
    const connect = (): void => {
      socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
      socket.onopen = () => { attempts = 0; setConnection('live'); };
      socket.onmessage = (event) => {
        const frame = JSON.parse(String(event.data)) as SocketFrame;
        if (frame.type === 'snapshot') {
          setEntries(frame.entries);
          setChannels((known) => [...new Set([...frame.channels, ...known])]);
        } else {
          setEntries((list) => merge(list, frame.entry));
          activity.current();
        }
      };
      socket.onclose = (event) => {
        if (stopped) return;
        if (event.code === SESSION_ENDED) return setConnection('ended');
        setConnection('reconnecting');
        retry = window.setTimeout(connect, Math.min(10_000, 500 * 2 ** attempts++));
      };
    };
    connect();
    return () => {
      stopped = true;
      window.clearTimeout(retry);
      socket?.close();
    };
  }, []);

  return { entries, channels, connection };
}

function merge(list: ChatEntry[], entry: ChatEntry): ChatEntry[] {
  const at = list.findIndex((e) => e.id === entry.id);
  if (at < 0) return [...list, entry];
  const next = list.slice();
  next[at] = entry;
  return next;
}
