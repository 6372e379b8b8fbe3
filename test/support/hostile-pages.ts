import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A web server on 127.0.0.1 that misbehaves on purpose: a page that never answers, one that
 * sends half its HTML and stalls, a redirect loop, and a page full of dialogs (alert on load,
 * confirm on a click, a beforeunload prompt), next to an ordinary page.
 */
export interface HostilePages {
  url(path: '/never' | '/half' | '/loop' | '/dialogs' | '/ok'): string;
  close(): Promise<void>;
}

const DIALOGS = `<!doctype html><html><body style="font: 24px sans-serif; margin: 40px">
<h1>Dialogs</h1>
<button id="go" style="font-size: 28px; padding: 12px 24px" onclick="window.__answer = confirm('Delete everything?'); document.getElementById('out').textContent = 'answered ' + window.__answer">Delete</button>
<p id="out">not answered</p>
<script>
  addEventListener('beforeunload', (e) => { e.preventDefault(); e.returnValue = ''; });
  setTimeout(() => alert('Welcome to the dialogs page'), 50);
</script></body></html>`;

const OK = `<!doctype html><html><body style="font: 24px sans-serif; margin: 40px"><h1>Fine</h1><button>OK</button></body></html>`;

export async function startHostilePages(): Promise<HostilePages> {
  const sockets = new Set<Socket>();
  const hung = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/never') return void hung.add(res);
    if (path === '/half') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.write('<!doctype html><html><body><h1>Half a page');
      return void hung.add(res);
    }
    if (path === '/loop') {
      res.writeHead(302, { location: '/loop?again' });
      return void res.end();
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(path === '/dialogs' ? DIALOGS : OK);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (p) => `http://127.0.0.1:${port}${p}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of hung) r.destroy();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
