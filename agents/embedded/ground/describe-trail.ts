/** Where among a screen's navigation a target is said to be: a breadcrumb trail, a pager. */

const EN_TRAIL = /\s(?:(?:in|on|from|within|inside)\s+(?:the\s+)?(?:page'?s\s+)?)?bread\s*crumbs?(?:\s+(?:trail|bar|nav(?:igation)?|path|link|item))?(?=\s*$|\s*[,.;])/i;
const ZH_TRAIL = /(?:面包屑(?:导航)?|路径导航)(?:里面|里|中|上)?的?/;

const EN_PAGER = /\s(?:(?:in|on|from|within)\s+(?:the\s+)?)?(?:pagination|pager|paginator|page\s+numbers)(?:\s+(?:bar|control|links?|buttons?))?(?=\s*$|\s*[,.;])/i;
const ZH_PAGER = /(?:分页(?:栏|器|条|控件)?|页码栏)(?:里面|里|中|上)?的?/;

/**
 * "Payments in breadcrumb", "the Projects breadcrumb", "面包屑里的项目": one of the trail's names;
 * "3 in the pagination", "分页中的 3 号页码": a pager's number. The description without those words.
 */
export function readTrail(s: string): { s: string; trail?: boolean; pager?: boolean } {
  const pager = s.match(EN_PAGER) ?? s.match(ZH_PAGER);
  if (pager && pager.index !== undefined) {
    return { s: `${s.slice(0, pager.index)} ${s.slice(pager.index + pager[0].length)}`.replace(/(?<=\d|\u0001)\s*号?\s*页码?\s*$/, ' '), pager: true };
  }
  const m = s.match(EN_TRAIL) ?? s.match(ZH_TRAIL);
  if (!m || m.index === undefined) return { s };
  return { s: `${s.slice(0, m.index)} ${s.slice(m.index + m[0].length)}`, trail: true };
}
