import { describe, expect, it } from 'vitest';
import { UnknownFamilyError } from '../../../agents/families.ts';
import { ImageGeometryError } from '../../../kernels/smart-resize.ts';
import { parseReply, parseSize, ReplyError, resizeInfo } from '../../../agents/profile/inspect.ts';

describe('resizeInfo (handeye resize)', () => {
  it('GLM: the table of models.md', () => {
    expect(resizeInfo('glm-4.1v-thinking', 1078, 1078)).toEqual({ width: 1064, height: 1064, tokens: 1444 });
    expect(resizeInfo('glm-4.5v', 3840, 2160)).toEqual({ width: 2912, height: 1624, tokens: 6032 });
    expect(resizeInfo('glm-4.1v-thinking', 27, 27)).toEqual({ width: 84, height: 84, tokens: 9 });
  });
  it('UI-TARS-1.5 and Qwen2.5-VL: one frame, their own budgets', () => {
    expect(resizeInfo('ui-tars-1.5', 3840, 2160)).toEqual({ width: 3836, height: 2156, tokens: 10549 });
    // Qwen's min_pixels is 4*28*28; UI-TARS's is 100*28*28: a tiny image differs.
    expect(resizeInfo('qwen2.5-vl', 56, 56)).toEqual({ width: 56, height: 56, tokens: 4 });
    expect(resizeInfo('ui-tars-1.5', 56, 56)).toEqual({ width: 280, height: 280, tokens: 100 });
  });
  it('rejects extreme ratios and unknown families clearly', () => {
    expect(() => resizeInfo('ui-tars-1.5', 10000, 28)).toThrow(ImageGeometryError);
    expect(() => resizeInfo('glm-4.1v-thinking', 10000, 28)).toThrow(/at most 200:1/);
    expect(() => resizeInfo('gpt-vision', 100, 100)).toThrow(UnknownFamilyError);
    expect(() => resizeInfo('gpt-vision', 100, 100)).toThrow(/known families: glm-4.1v-thinking/);
  });
});

describe('parseReply (handeye parse)', () => {
  it('returns canonical, validated actions in frame pixels with defaults applied', () => {
    const r = parseReply('glm-4.1v-thinking', "<think>t</think><answer><|begin_of_box|>left_click(start_box='[250,500]')<|end_of_box|></answer>", { width: 1280, height: 720 });
    expect(r).toEqual({ reasoning: 't', actions: [{ action: 'click', target: { point: [320, 360] }, button: 'left', count: 1 }] });
  });
  it('throws ReplyError naming the family and the problem', () => {
    expect(() => parseReply('ui-tars-1.5', 'Action: click()', { width: 1280, height: 720 })).toThrow(ReplyError);
    expect(() => parseReply('ui-tars-1.5', 'Action: click()', { width: 1280, height: 720 })).toThrow(/ui-tars-1\.5 reply does not parse: click needs start_box/);
    expect(() => parseReply('generic', '{"actions":[{"action":"wait","ms":-1}]}', { width: 1280, height: 720 })).toThrow(/action 1: .*ms/);
  });
  it('set-of-marks replies need the element list', () => {
    expect(() => parseReply('glm-4.1v-thinking:som', 'Action: Click [1]', { width: 1280, height: 720 })).toThrow(/element list/);
  });
  it('parseSize reads WxH', () => {
    expect(parseSize('1920x1080')).toEqual({ width: 1920, height: 1080 });
    expect(() => parseSize('1920')).toThrow(/like 1920x1080/);
  });
});
