import type { OcrResult } from '../../../kernels/ocr/types.ts';
import type { RgbImage } from '../../../src/core/frame.ts';
import type { LocateResult } from './locate.ts';
import { locatePageNumber, locatePagerArrow, PAGER_ARROW, PAGER_DESCRIPTION } from './pager.ts';
import { locateSelectAll, SELECT_ALL_DESCRIPTION } from './select-all.ts';

/**
 * Descriptions the instruction readers write for a control found by a rule of its own, not by its
 * words: a pager's number or arrow, the box that selects every row.
 */
const RULES: Array<[RegExp, (ocr: OcrResult, rgb: RgbImage, description: string) => LocateResult]> = [
  [PAGER_DESCRIPTION, (ocr, _, description) => locatePageNumber(ocr, description)],
  [PAGER_ARROW, locatePagerArrow],
  [SELECT_ALL_DESCRIPTION, (ocr, rgb) => locateSelectAll(ocr, rgb)],
];

/** The control a rule finds for the description, or undefined when no rule is written for it. */
export function locateByRule(ocr: OcrResult, rgb: RgbImage, description: string): LocateResult | undefined {
  const rule = RULES.find(([said]) => said.test(description));
  return rule?.[1](ocr, rgb, description);
}
