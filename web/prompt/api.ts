// The prompt page's calls to /prompt/api: one typed function per step, errors as PromptError with readable words.
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import type { PromptMethod } from '../../src/core/web/user-prefs.ts';
import type { FlowView } from '../../src/fronts/prompt/flow-view-shape.ts';

export type { FlowView, Stage } from '../../src/fronts/prompt/flow-view-shape.ts';
/** What the page offers: the methods a user may prefer, plus texted codes and a call to a phone number. */
export type Method = PromptMethod | 'sms' | 'call';

/** A refusal from the server, with the words to show. */
export class PromptError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'PromptError';
    this.status = status;
  }
}

async function call<T>(url: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', ...init });
  } catch {
    throw new PromptError(0, 'The server could not be reached. Check your connection and try again.');
  }
  const body = (await response.json().catch(() => ({}))) as { message?: string };
  if (!response.ok)
    throw new PromptError(response.status, body.message ?? 'Something went wrong. Try again.');
  return body as T;
}

/** The prompt API of one flow. */
export function flowApi(flowId: string, csrf: () => string) {
  const base = `/prompt/api/flows/${encodeURIComponent(flowId)}`;
  const post = <T>(path: string, body: unknown = {}) =>
    call<T>(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf() },
      body: JSON.stringify(body),
    });
  return {
    begin: () => post<FlowView>('/begin'),
    password: (password: string) => post<FlowView>('/password', { password }),
    push: (device: string, automatic: boolean) => post<FlowView>('/push', { device, automatic }),
    passcode: (passcode: string) => post<FlowView>('/passcode', { passcode }),
    sms: () => post<FlowView>('/sms'),
    call: () => post<FlowView>('/call'),
    webauthnOptions: () => post<PublicKeyCredentialRequestOptionsJSON>('/webauthn/options'),
    webauthn: (response: AuthenticationResponseJSON) => post<FlowView>('/webauthn', { response }),
    status: (version: number, signal: AbortSignal) =>
      call<FlowView>(`${base}/status?version=${version}`, { signal }),
    finish: (remember: boolean) => post<{ redirect: string }>('/finish', { remember }),
    cancel: () => post<{ redirect: string }>('/cancel'),
    enroll: () => post<{ redirect: string }>('/enroll'),
  };
}

export type FlowApi = ReturnType<typeof flowApi>;

/** Loads a flow (and, back from enrollment, resumes it with the one-time token). */
export function loadFlow(flowId: string, resume: string | null): Promise<FlowView> {
  const query = resume ? `?resume=${encodeURIComponent(resume)}` : '';
  return call<FlowView>(`/prompt/api/flows/${encodeURIComponent(flowId)}${query}`);
}
