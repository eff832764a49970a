/**
 * How each kind of channel is called: the request for one notification. WeCom (企业微信) group
 * robot: markdown message JSON. DingTalk (钉钉) group robot: markdown message, signed with
 * HMAC-SHA256 over `timestamp + "\n" + secret` (base64, URL-encoded `sign` parameter). Plain
 * webhook: the JSON body with an HMAC-SHA256 signature header over `timestamp + "." + body`.
 * Web Crypto does the HMAC; nothing here is hand-rolled cryptography.
 */
import { notificationMarkdown, notificationTitle, webhookBody, type NotifyAlert } from '../domain/alerts/notify-format.ts';
import type { Locale } from '../domain/alerts/wording.ts';
import { noticeMarkdown, noticeTitle, noticeWebhookBody, type WorkOrderNotice } from '../domain/work-order-notify-format.ts';

export type ChannelType = 'wecom' | 'dingtalk' | 'webhook';

export interface Channel {
  id: string;
  type: ChannelType;
  url: string;
  secret: string | null;
}

async function hmac(secret: string, message: string): Promise<Uint8Array> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(message)));
}

const base64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');

/** DingTalk's signature of a timestamp (ms), as the `sign` query value before URL-encoding. */
export async function dingtalkSign(secret: string, timestampMs: number): Promise<string> {
  return base64(await hmac(secret, `${timestampMs}\n${secret}`));
}

/** The webhook signature header's value for a body sent at `timestampS` (seconds). */
export async function webhookSignature(secret: string, timestampS: number, body: string): Promise<string> {
  return `sha256=${hex(await hmac(secret, `${timestampS}.${body}`))}`;
}

/** One notification in the words each kind of channel takes: an alert change or a work-order escalation. */
export interface Outgoing {
  /** The change's or notice's id: the webhook's delivery header, for the receiver's own de-duplication. */
  id: string;
  title: string;
  markdown: string;
  body: Record<string, unknown>;
}

export const alertOutgoing = (n: NotifyAlert, tz: string, locale: Locale = 'zh-CN'): Outgoing => ({
  id: n.change_id,
  title: notificationTitle(n, locale),
  markdown: notificationMarkdown(n, tz, locale),
  body: webhookBody(n),
});

export const noticeOutgoing = (n: WorkOrderNotice, tz: string, locale: Locale = 'zh-CN'): Outgoing => ({
  id: n.notice_id,
  title: noticeTitle(n, locale),
  markdown: noticeMarkdown(n, tz, locale),
  body: noticeWebhookBody(n),
});

export async function buildRequest(ch: Channel, n: Outgoing, now: number): Promise<Request> {
  const headers = { 'content-type': 'application/json' };
  if (ch.type === 'wecom') {
    return new Request(ch.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ msgtype: 'markdown', markdown: { content: n.markdown } }),
    });
  }
  if (ch.type === 'dingtalk') {
    let url = ch.url;
    if (ch.secret) url += `${url.includes('?') ? '&' : '?'}timestamp=${now}&sign=${encodeURIComponent(await dingtalkSign(ch.secret, now))}`;
    return new Request(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ msgtype: 'markdown', markdown: { title: n.title, text: n.markdown } }),
    });
  }
  const body = JSON.stringify(n.body);
  const ts = Math.floor(now / 1000);
  const h: Record<string, string> = { ...headers, 'x-amenity-delivery': n.id, 'x-amenity-timestamp': String(ts) };
  if (ch.secret) h['x-amenity-signature'] = await webhookSignature(ch.secret, ts, body);
  return new Request(ch.url, { method: 'POST', headers: h, body });
}

/**
 * Whether the receiver took it: a 2xx, and for the robots `errcode` 0 in the answer (they answer
 * 200 with an error code when, say, the signature or keyword is wrong).
 */
export async function accepted(ch: Channel, res: Response): Promise<{ ok: boolean; error: string | null }> {
  if (!res.ok) return { ok: false, error: `HTTP ${res.status}` };
  if (ch.type === 'webhook') return { ok: true, error: null };
  const text = await res.text();
  try {
    const j = JSON.parse(text) as { errcode?: number; errmsg?: string };
    if (j.errcode === undefined || j.errcode === 0) return { ok: true, error: null };
    return { ok: false, error: `errcode ${j.errcode}: ${j.errmsg ?? ''}`.trim() };
  } catch {
    return { ok: false, error: `not JSON: ${text.slice(0, 100)}` };
  }
}
