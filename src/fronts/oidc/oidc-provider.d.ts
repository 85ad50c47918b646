// The part of oidc-provider 9's API Countersign uses, typed (the package ships JavaScript without declarations).
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type AnyObject = Record<string, unknown>;

  /** What a storage adapter stores for one model (the payload oidc-provider builds). */
  export interface AdapterPayload extends AnyObject {
    accountId?: string;
    grantId?: string;
    uid?: string;
    userCode?: string;
    consumed?: unknown;
    jti?: string;
    exp?: number;
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export type AdapterConstructor = new (name: string) => Adapter;

  /** The Koa context oidc-provider hands to its helpers (only what we read). */
  export interface KoaContextWithOIDC {
    oidc: {
      route?: string;
      params?: AnyObject;
      result?: { login?: AnyObject; consent?: AnyObject } & AnyObject;
      session?: {
        accountId?: string;
        uid?: string;
        authorizations?: Record<string, { sid?: string; grantId?: string }>;
      };
      client?: { clientId: string; clientName?: string };
      provider: Provider;
      [key: string]: unknown;
    };
    cookies: { get(name: string): string | undefined };
    req: IncomingMessage;
    res: ServerResponse;
    host: string;
    type: string;
    status: number;
    body: unknown;
    get(header: string): string;
    set(header: string, value: string | string[]): void;
    append(header: string, value: string | string[]): void;
    redirect(url: string): void;
    response: { get(header: string): string };
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string, claims: AnyObject, rejected: string[]): Promise<AnyObject> | AnyObject;
  }

  export interface InteractionDetails {
    uid: string;
    returnTo: string;
    prompt: { name: string; reasons: string[]; details: AnyObject };
    params: AnyObject & {
      client_id?: string;
      scope?: string;
      claims?: string;
      max_age?: number | string;
      login_hint?: string;
      prompt?: string;
    };
    session?: { accountId?: string; uid?: string };
    grantId?: string;
    lastSubmission?: AnyObject;
    exp: number;
  }

  export interface LoginResult {
    login?: { accountId: string; acr?: string; amr?: string[]; remember?: boolean; ts?: number };
    consent?: { grantId: string };
    error?: string;
    error_description?: string;
  }

  export interface Grant {
    jti: string;
    accountId: string;
    clientId: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    save(): Promise<string>;
  }

  export interface ClientInstance {
    clientId: string;
    backchannelLogoutUri?: string;
    backchannelLogout(sub: string, sid: string): Promise<void>;
  }

  export class Check {
    static REQUEST_PROMPT: true;
    static NO_NEED_TO_PROMPT: false;
    constructor(
      reason: string,
      description: string,
      check: (ctx: KoaContextWithOIDC) => boolean | Promise<boolean>,
    );
    constructor(
      reason: string,
      description: string,
      error: string,
      check: (ctx: KoaContextWithOIDC) => boolean | Promise<boolean>,
    );
  }

  export interface Prompt {
    name: string;
    checks: Check[] & { add(check: Check, index?: number): void };
  }

  export interface Policy extends Array<Prompt> {
    get(name: string): Prompt | undefined;
  }

  export const interactionPolicy: { base(): Policy; Check: typeof Check };

  export const errors: {
    InvalidGrant: new (description?: string) => Error;
    OIDCProviderError: new (
      status: number,
      message: string,
    ) => Error & { error: string; error_description?: string };
    SessionNotFound: new (description?: string) => Error;
  };

  export class Provider {
    constructor(issuer: string, configuration: AnyObject);
    issuer: string;
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionResult(
      req: IncomingMessage,
      res: ServerResponse,
      result: LoginResult,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<string>;
    on(event: string, listener: (...args: unknown[]) => void): this;
    use(middleware: (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>): this;
    Grant: {
      new (init: { accountId: string; clientId: string }): Grant;
      find(id: string): Promise<Grant | undefined>;
    };
    Client: { find(id: string): Promise<ClientInstance | undefined> };
  }

  export default Provider;
}
