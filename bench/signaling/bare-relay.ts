import { WebSocketServer, type WebSocket } from 'ws';

// The peer in the same run: a bare `ws` server that pairs two sockets per
// room (`?room=<n>&side=a|b`) and forwards each frame to the other side, and
// echoes when alone. No auth, no parsing, no rate limits, no storage: the
// floor any signaling relay on this machine and Node stands on.
const rooms = new Map<string, { a?: WebSocket; b?: WebSocket }>();
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', maxPayload: 64 * 1024 });
wss.on('connection', (ws, req) => {
  const q = new URL(req.url ?? '/', 'http://x').searchParams;
  const key = q.get('room') ?? '';
  const side = q.get('side') === 'b' ? 'b' : 'a';
  const room = rooms.get(key) ?? {};
  room[side] = ws;
  rooms.set(key, room);
  ws.on('message', (data, isBinary) => {
    const other = side === 'a' ? room.b : room.a;
    (other ?? ws).send(data, { binary: isBinary });
  });
  ws.on('close', () => {
    delete room[side];
    if (!room.a && !room.b) rooms.delete(key);
  });
});
wss.on('listening', () => {
  const address = wss.address();
  if (address && typeof address === 'object') process.stdout.write(`ws://127.0.0.1:${address.port}\n`);
});
