import type { Page } from 'playwright-core';

/**
 * Known solutions for tasks/suite, by task id, done through Playwright's real input (locators
 * and the mouse), never by writing the page's state. `page()` is the active page.
 */
export type Solution = (page: () => Page) => Promise<void>;

const click = (p: () => Page, text: string) => p().getByText(text, { exact: true }).click();

/** Drags the element matching `from` onto the one matching `to` with mouse down/move/up. */
async function drag(page: Page, from: string, to: string): Promise<void> {
  const a = (await page.locator(from).boundingBox())!;
  const b = (await page.locator(to).boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 10, a.y + a.height / 2 + 10, { steps: 2 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

/** Clicks a canvas-drawn item by the layout the page publishes for this purpose. */
async function clickCanvas(page: Page, name: string): Promise<void> {
  const items = (await page.evaluate('window.__state.layout')) as { name: string; x: number; y: number; w: number; h: number }[];
  const it = items.find((i) => i.name === name)!;
  const c = (await page.locator('canvas').boundingBox())!;
  await page.mouse.click(c.x + it.x + it.w / 2, c.y + it.y + it.h / 2);
}

export const SOLUTIONS: Record<string, Solution> = {
  'suite-buttons': (p) => click(p, 'Archive'),
  'suite-links': (p) => click(p, 'Pricing'),
  'suite-form-contact': async (p) => {
    await p().fill('#name', 'Ada Lovelace');
    await p().fill('#email', 'ada@example.com');
    await click(p, 'Send');
  },
  'suite-textarea-note': async (p) => {
    await p().fill('#note', 'Buy more tea');
    await click(p, 'Save note');
  },
  'suite-search-box': async (p) => {
    await p().fill('#q', 'lanterns');
    await p().press('#q', 'Enter');
  },
  'suite-checkbox': async (p) => {
    await click(p, 'Subscribe to newsletter');
    await click(p, 'Continue');
  },
  'suite-radio': async (p) => {
    await click(p, 'Pro plan');
    await click(p, 'Confirm plan');
  },
  'suite-toggle-switch': (p) => click(p, 'Airplane mode'),
  'suite-native-select': async (p) => {
    await p().selectOption('#color', 'Teal');
    await click(p, 'Apply');
  },
  'suite-custom-dropdown': async (p) => {
    await click(p, 'Choose a size');
    await click(p, 'Large');
    await click(p, 'Done');
  },
  'suite-date-picker': async (p) => {
    await click(p, 'Pick a date');
    await p().locator('[data-day="17"]').click();
    await click(p, 'Apply');
  },
  'suite-number-stepper': async (p) => {
    await p().fill('#qty', '7');
    await click(p, 'Update');
  },
  'suite-tabs': async (p) => {
    await click(p, 'Shipping');
    await click(p, 'Express delivery');
  },
  'suite-accordion': async (p) => {
    await click(p, 'Returns');
    await click(p, 'Start a return');
  },
  'suite-dialog-confirm': async (p) => {
    await click(p, 'Delete project');
    await click(p, 'Yes, delete');
  },
  'suite-popup-menu': async (p) => {
    await click(p, 'Actions');
    await click(p, 'Duplicate');
  },
  'suite-popup-escape': (p) => p().keyboard.press('Escape'),
  'suite-scroll-list': (p) => p().getByText('Item 73').click(),
  'suite-long-page': (p) => click(p, 'Accept terms'),
  'suite-drag-to-trash': (p) => drag(p(), '[data-file="Report.pdf"]', '#trash'),
  'suite-kanban': (p) => drag(p(), '[data-card="Fix login bug"]', '[data-column="Done"]'),
  'suite-shortcut-save': (p) => p().keyboard.press('Control+s'),
  'suite-command-palette': async (p) => {
    await p().keyboard.press('Control+k');
    await p().keyboard.type('dark mode');
    await p().keyboard.press('Enter');
  },
  'suite-multi-page-shop': async (p) => {
    await click(p, 'Products');
    await p().waitForURL(/products\.html/);
    await click(p, 'Desk lamp');
    await p().waitForURL(/product\.html/);
    await click(p, 'Add to cart');
  },
  'suite-wizard': async (p) => {
    await p().fill('#name', 'Ada');
    await click(p, 'Next');
    await click(p, 'Large');
    await click(p, 'Next');
    await click(p, 'Finish');
  },
  'suite-iframe-consent': (p) => p().frameLocator('#frame').getByText('Accept cookies', { exact: true }).click(),
  'suite-iframe-login': async (p) => {
    await p().frameLocator('#frame').locator('#user').fill('bob');
    await p().frameLocator('#frame').getByText('Log in', { exact: true }).click();
  },
  'suite-canvas-colors': (p) => clickCanvas(p(), 'Green'),
  'suite-canvas-keypad': async (p) => {
    for (const k of ['7', '3', 'OK']) await clickCanvas(p(), k);
  },
  'suite-tiny-text': (p) => click(p, 'Terms of service'),
  'suite-dark-theme': async (p) => {
    await p().fill('#city', 'Lisbon');
    await click(p, 'Save');
  },
  'suite-mobile-menu': async (p) => {
    await click(p, 'Menu');
    await click(p, 'Settings');
  },
  'suite-ultrawide-dashboard': (p) => p().getByRole('button', { name: 'Export report' }).click(),
  'suite-toolbar-strip': (p) => click(p, 'Export'),
  'suite-retina-order': async (p) => {
    await click(p, 'Oat milk');
    await click(p, 'Order');
  },
};
