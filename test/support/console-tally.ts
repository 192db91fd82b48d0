import type { Locator, Page } from 'playwright-core';

/**
 * Counts what a person does to the console, for the task-time table of issue 19: every click, and
 * every key pressed (a typed text counts one keystroke per character). Choosing from a drop-down
 * with the mouse is two clicks: open it, pick.
 */
export class Tally {
  clicks = 0;
  keystrokes = 0;

  constructor(private readonly page: Page) {}

  async click(target: Locator): Promise<void> {
    this.clicks += 1;
    await target.click();
  }

  async choose(select: Locator, value: string): Promise<void> {
    this.clicks += 2;
    await select.selectOption(value);
  }

  async press(key: string): Promise<void> {
    this.keystrokes += 1;
    await this.page.keyboard.press(key);
  }

  async type(text: string): Promise<void> {
    this.keystrokes += [...text].length;
    await this.page.keyboard.type(text);
  }
}
