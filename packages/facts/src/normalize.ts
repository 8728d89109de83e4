/**
 * Same-length normalisation used when the caller provides no matching copy: full-width ASCII to half-width and the
 * traditional characters that occur in figures, unit names and counted nouns to simplified, one UTF-16 unit each.
 */

// Deliberately small: the analyzer passes a full OpenCC-based copy; this map only keeps the package usable on its own
// for the characters that change what a figure means.
const TRADITIONAL_PAIRS =
  '萬万億亿個个兩两項项幹干黨党與与員员雙双餘余約约數数點点來来間间達达佔占際际級级區区縣县鄉乡鎮镇國国業业門门廳厅' +
  '單单過过幾几歲岁權权問问題题線线紀纪違违規规種种節节錢钱貳贰參叁陸陆圓圆臺台張张條条筆笔場场輪轮處处機机關关構构' +
  '組组織织書书記记導导領领會会議议務务學学醫医隊队資资產产費费額额準准標标發发現现計计況况續续連连內内從从並并歷历' +
  '屆届開开動动實实體体對对當当據据聯联總总後后裏里鬥斗觀观讀读談谈話话違违紀纪幣币負负責责樣样為为於于達达億亿' +
  '專专屬属設设們们頭头應应戶户間间週周時时歲岁號号範范遠远較较減减漲涨長长圍围餘余陳陈舊旧監监檢检審审邊边' +
  '驗验戰战壇坛檔档帳账賬账贈赠禮礼狀状態态進进讓让報报傳传廣广塊块雜杂黃黄龍龙東东樓楼灣湾漢汉鐵铁將将識识崗岗須须帶带電电';

const TRADITIONAL_MAP: ReadonlyMap<number, number> = (() => {
  const map = new Map<number, number>();
  for (let i = 0; i + 1 < TRADITIONAL_PAIRS.length; i += 2) {
    const from = TRADITIONAL_PAIRS.charCodeAt(i);
    const to = TRADITIONAL_PAIRS.charCodeAt(i + 1);
    if (from !== to) map.set(from, to);
  }
  return map;
})();

/**
 * Return a copy of `source` of the same UTF-16 length in which full-width ASCII (U+FF01–U+FF5E) and the ideographic
 * space are folded to half-width and common traditional characters of figures are simplified, character for character.
 */
export function normalizeForFacts(source: string): string {
  let out = '';
  let runStart = 0;
  for (let i = 0; i < source.length; i++) {
    const code = source.charCodeAt(i);
    let mapped = code;
    if (code >= 0xff01 && code <= 0xff5e) mapped = code - 0xfee0;
    else if (code === 0x3000) mapped = 0x20;
    else if (code >= 0x4e00 && code <= 0x9fff) mapped = TRADITIONAL_MAP.get(code) ?? code;
    if (mapped !== code) {
      out += source.slice(runStart, i) + String.fromCharCode(mapped);
      runStart = i + 1;
    }
  }
  return runStart === 0 ? source : out + source.slice(runStart);
}
