import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheckers } from '../../src/run/checks.ts';
import { BrowserExecutor } from '../../src/executors/browser/browser-executor.ts';
import { startStaticServer, type StaticServer } from '../../src/run/static-server.ts';
import { loadTaskFile, parseTaskYaml, TaskFileError, type Task } from '../../src/core/task.ts';

// The bundled web apps and their task files: every file validates against the task schema, and
// every app's success check is false on arrival and true after a known solution is applied with
// Playwright's DOM APIs (no agent involved), and stays false after a wrong one.
const TASKS_ROOT = path.resolve(import.meta.dirname, '../../tasks');
const APPS = ['login', 'todo', 'settings', 'long-list', 'modal', 'new-tab'];

/** The bundled apps' task files. The eval suite and the desktop tasks have structure tests of their own (test/eval, test/desktop). */
function taskFiles(): string[] {
  return APPS.flatMap((app) =>
    readdirSync(path.join(TASKS_ROOT, app))
      .filter((f) => f.endsWith('.task.yaml'))
      .map((f) => path.join(TASKS_ROOT, app, f)),
  ).sort();
}

type Solution = (page: () => Page) => Promise<void>;

/** Known solutions by task id. `page()` is the executor's active page (a new tab takes over). */
const SOLUTIONS: Record<string, Solution> = {
  login: async (page) => {
    await page().fill('#username', 'alice');
    await page().fill('#password', 'hunter2');
    await page().click('#signin');
  },
  todo: async (page) => {
    await page().fill('#new-task', 'Write report');
    await page().getByRole('button', { name: 'Add', exact: true }).click();
    await page().getByText('Buy milk', { exact: true }).click();
    await page().click('#clear-done');
  },
  settings: async (page) => {
    await page().selectOption('#language', { label: '中文' });
    await page().getByText('Dark mode', { exact: true }).click();
    await page().click('#save');
  },
  'settings-zh': async (page) => {
    await page().selectOption('#language', { label: '日本語' });
    await page().getByText('电子邮件通知', { exact: true }).click();
    await page().getByRole('button', { name: '保存' }).click();
  },
  'long-list': async (page) => {
    await page().getByRole('button', { name: 'Item 150', exact: true }).click();
  },
  modal: async (page) => {
    await page().click('#open');
    await page().fill('#email', 'bob@example.com');
    await page().fill('#message', 'Where is my order?');
    await page().click('#send');
  },
  'modal-close': async (page) => {
    await page().click('#open');
    await page().click('#close');
  },
  'new-tab': async (page) => {
    await openOrderTab(page);
    await page().fill('#quantity', '3');
    await page().click('button[type=submit]');
  },
};

/** Clicks the target=_blank link and waits until its tab is the executor's active page. */
async function openOrderTab(page: () => Page): Promise<void> {
  const opener = page();
  await opener.click('#order-link');
  await expect.poll(() => page() !== opener).toBe(true);
  await page().waitForLoadState('load');
  expect(page().url()).toMatch(/\/new-tab\/order\.html$/);
}

/** Near misses: each must leave the success check false. */
const WRONG: Record<string, Solution> = {
  login: async (page) => {
    await page().fill('#username', 'alice');
    await page().fill('#password', 'hunter3');
    await page().click('#signin');
  },
  todo: async (page) => {
    await page().fill('#new-task', 'Write report');
    await page().getByRole('button', { name: 'Add', exact: true }).click();
    await page().getByText('Buy milk', { exact: true }).click();
  },
  settings: async (page) => {
    await page().selectOption('#language', { label: '中文' });
    await page().click('#save');
  },
  modal: async (page) => {
    await page().click('#open');
    await page().fill('#email', 'bob@example.com');
    await page().fill('#message', 'Where is my order?');
    await page().click('#close');
  },
  'new-tab': async (page) => {
    await openOrderTab(page);
    await page().fill('#quantity', 'three');
    await page().click('button[type=submit]');
    await expect.poll(() => page().textContent('#status')).toBe('Please enter a whole number of packets.');
  },
};

describe('task files', () => {
  it('every bundled app has a task file named after it, and every task file is valid', async () => {
    const files = taskFiles();
    for (const app of APPS) expect(files).toContain(path.join(TASKS_ROOT, app, `${app}.task.yaml`));
    const ids = new Set<string>();
    for (const file of files) {
      const { task } = await loadTaskFile(file);
      expect(ids.has(task.id), `duplicate id ${task.id}`).toBe(false);
      ids.add(task.id);
      expect(task.goal, `${file} goal`).toBeTruthy();
      expect(task.steps?.length, `${file} steps`).toBeGreaterThan(0);
      expect(task.success.some((c) => 'js' in c), `${file} js check`).toBe(true);
      expect(SOLUTIONS[task.id], `a known solution for ${task.id}`).toBeDefined();
      expect('web' in task.app).toBe(true);
      const url = 'web' in task.app ? task.app.web.url : '';
      expect(url.startsWith('/'), `${file}: url is relative to the tasks root`).toBe(true);
      const page = path.join(TASKS_ROOT, new URL(url, 'http://x').pathname);
      expect(existsSync(page), `${file}: ${page} exists`).toBe(true);
      expect(path.dirname(page)).toBe(path.dirname(file));
    }
  });

  it('covers a phone portrait, an ultrawide and a DPR 2 laptop', async () => {
    const shapes = await Promise.all(
      taskFiles().map(async (f) => {
        const { task } = await loadTaskFile(f);
        const web = 'web' in task.app ? task.app.web : undefined;
        return `${web?.viewport.join('x')}@${web?.deviceScaleFactor}${web?.isMobile ? ' mobile' : ''}`;
      }),
    );
    expect(shapes).toContain('390x844@3 mobile');
    expect(shapes.some((s) => s.startsWith('3440x1440@'))).toBe(true);
    expect(shapes).toContain('1440x900@2');
  });

  it('task text in Chinese survives parsing', async () => {
    const { task } = await loadTaskFile(path.join(TASKS_ROOT, 'settings/settings-zh.task.yaml'));
    expect(task.goal).toBe('在“语言”中选择“日本語”，关闭“电子邮件通知”，然后点击“保存”。');
    expect(task.steps?.[0]).toEqual({ select: { option: '日本語', in: '语言' } });
  });

  it('a task file with a bad step is rejected naming the field', () => {
    const yaml = 'id: broken\napp:\n  web: { url: "/login/index.html" }\nsteps:\n  - clack: "Sign in"\n';
    expect(() => parseTaskYaml(yaml, 'broken.task.yaml')).toThrow(TaskFileError);
    expect(() => parseTaskYaml(yaml, 'broken.task.yaml')).toThrow(/broken\.task\.yaml: steps\.0/);
  });
});

describe('bundled apps in headless Chromium', () => {
  let server: StaticServer;
  beforeAll(async () => {
    server = await startStaticServer(TASKS_ROOT);
  });
  afterAll(async () => {
    await server?.close();
  });

  async function withTask(task: Task, body: (ex: BrowserExecutor) => Promise<void>): Promise<void> {
    if (!('web' in task.app)) throw new Error(`${task.id} is not a web task`);
    const web = task.app.web;
    const ex = await BrowserExecutor.launch({ viewport: web.viewport, deviceScaleFactor: web.deviceScaleFactor, isMobile: web.isMobile });
    try {
      await ex.goto(server.resolve(web.url));
      for (const s of task.setup) if ('js' in s) await ex.evaluate(s.js);
      await body(ex);
    } finally {
      await ex.close();
    }
  }

  const jsChecks = (task: Task) => task.success.filter((c) => 'js' in c);

  it.each(taskFiles().map((f) => [path.relative(TASKS_ROOT, f), f]))('%s: check is false before, true after the known solution', async (_name, file) => {
    const { task } = await loadTaskFile(file);
    await withTask(task, async (ex) => {
      const before = await runCheckers(jsChecks(task), { executor: ex });
      for (const r of before) expect(r.ok, `${task.id} before: ${JSON.stringify(r.checker)}`).toBe(false);
      await SOLUTIONS[task.id](() => ex.page);
      const after = await runCheckers(task.success, { executor: ex });
      for (const r of after) expect(r.ok, `${task.id} after: ${JSON.stringify(r.checker)} ${r.detail ?? ''}`).toBe(true);
    });
  });

  it.each(Object.keys(WRONG))('%s: a near miss leaves the check false', async (id) => {
    const file = taskFiles().find((f) => path.basename(f) === `${id}.task.yaml`)!;
    const { task } = await loadTaskFile(file);
    await withTask(task, async (ex) => {
      await WRONG[id](() => ex.page);
      const after = await runCheckers(jsChecks(task), { executor: ex });
      expect(after.every((r) => r.ok)).toBe(false);
    });
  });
});
