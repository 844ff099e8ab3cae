/**
 * Writing XML text and attribute values for the feed codecs: the five special characters
 * escaped, and whatever XML 1.0 does not allow in a document removed (C0 controls other than tab,
 * line feed and carriage return, U+FFFE, U+FFFF and unpaired surrogates), so no catalogue text
 * can make a feed or a sitemap ill-formed.
 */

// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/gu;
const TEXT_SPECIAL = /[&<>]/g;
const ATTR_SPECIAL = /[&<>"']/g;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Removes the characters XML 1.0 does not allow. */
export function xmlSafe(s: string): string {
  return s.replace(NOT_XML, '');
}

/** Element content: `a < b & c` → `a &lt; b &amp; c`. */
export function xmlText(s: string): string {
  return xmlSafe(s).replace(TEXT_SPECIAL, (c) => ENTITY[c]!);
}

/** An attribute value for double or single quotes. */
export function xmlAttr(s: string): string {
  return xmlSafe(s).replace(ATTR_SPECIAL, (c) => ENTITY[c]!);
}

/** `<name attr="…">text</name>`, or nothing when the text is empty or absent. */
export function element(name: string, text: string | null | undefined, attrs: Record<string, string | number | undefined> = {}): string {
  if (text === null || text === undefined || text === '') return '';
  return `<${name}${attributes(attrs)}>${xmlText(text)}</${name}>`;
}

/** ` a="1" b="2"`, skipping undefined values. */
export function attributes(attrs: Record<string, string | number | undefined>): string {
  let out = '';
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) out += ` ${k}="${xmlAttr(String(v))}"`;
  return out;
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Whether a string is an absolute http(s) URL (what feeds and sitemaps must link to). */
export function isAbsoluteHttpUrl(s: string): boolean {
  if (!/^https?:\/\//i.test(s)) return false;
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}
