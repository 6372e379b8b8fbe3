// A desktop RPA script: a real GTK dialog (zenity) on a private virtual X display, filled in and
// confirmed by looking at the screen. Needs Xvfb and zenity (Debian: apt-get install xvfb zenity).
// Run: node --import tsx examples/desktop-script.ts [traceDir]
// It prints one JSON line: what the dialog printed when it closed, and where the trace is.
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
// As a package (npm install handeye): import { createHandeye, openDesktopSession } from 'handeye';
import { createHandeye, openDesktopSession } from '../src/index.ts';

const out = path.join(tmpdir(), `handeye-desktop-example-${process.pid}.txt`);
await rm(out, { force: true });
// zenity prints the entry on stdout and exits 0 on OK; the shell keeps both in a file.
const session = await openDesktopSession(
  {
    launch: ['sh', '-c', `zenity --entry --title='Guest book' --text='Your name:' --width=420 > ${out}; echo "exit=$?" >> ${out}`],
    window: 'Guest book',
    screen: [800, 600],
  },
  { xvfb: true },
);
try {
  const agent = await createHandeye(session, { traceDir: process.argv[2], name: 'desktop-script' });
  try {
    await agent.type('Grace Hopper 霍珀', { into: 'Your name:' });
    const ok = await agent.locate('OK');
    await agent.click('OK');
    await Promise.race([session.app!.exited, new Promise((r) => setTimeout(r, 10_000))]);
    const printed = (await readFile(out, 'utf8').catch(() => '')).trim().split('\n');
    console.log(JSON.stringify({ printed, okButton: ok.box, traceDir: agent.traceDir }));
  } finally {
    await agent.close();
  }
} finally {
  await session.close();
  await rm(out, { force: true });
}
