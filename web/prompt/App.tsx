// The hosted login prompt: loads the flow, drives its steps, and hands the browser back to the application.
import { useCallback, useEffect, useRef, useState } from 'react';
import { type FlowApi, type FlowView, flowApi, loadFlow, PromptError } from './api.ts';
import { FactorStep } from './components/FactorStep.tsx';
import { Frame } from './components/Frame.tsx';
import { MessageStep } from './components/MessageStep.tsx';
import { PasswordStep } from './components/PasswordStep.tsx';

/**
 * What a person reads when a step fails: the server's words (already plain, from the error registry), or, when the
 * server was not reached at all, what to do instead of the browser's "Failed to fetch".
 */
function failureText(error: unknown): string {
  if (error instanceof PromptError) return error.message;
  return 'The sign-in page could not reach the server. Check your connection, then reload the page.';
}

function flowIdFromLocation(): string {
  return decodeURIComponent(window.location.pathname.split('/')[2] ?? '');
}

export function App() {
  const [view, setView] = useState<FlowView | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [remember, setRemember] = useState(false);
  const csrf = useRef('');
  const api = useRef<FlowApi | null>(null);
  const autoPushed = useRef(false);
  // Each automatic step runs once per flow, even when it fails and the view changes.
  const begun = useRef('');
  const finishing = useRef(false);

  const show = useCallback((next: FlowView) => {
    csrf.current = next.csrf;
    if (!api.current || window.location.pathname !== `/prompt/${next.flowId}`) {
      // A resumed flow has a new id; the one-time resume token leaves the address bar.
      window.history.replaceState(null, '', `/prompt/${next.flowId}`);
      api.current = flowApi(next.flowId, () => csrf.current);
    }
    setView(next);
  }, []);

  const run = useCallback(
    async (step: (api: FlowApi) => Promise<FlowView | { redirect: string }>) => {
      if (!api.current) return;
      try {
        const result = await step(api.current);
        if ('redirect' in result) window.location.assign(result.redirect);
        else show(result);
      } catch (error) {
        if (error instanceof PromptError && error.status !== 404 && view) {
          setView({ ...view, notice: { tone: 'error', text: error.message } });
        } else {
          setFailure(failureText(error));
        }
      }
    },
    [show, view],
  );

  useEffect(() => {
    const resume = new URLSearchParams(window.location.search).get('resume');
    loadFlow(flowIdFromLocation(), resume).then(show, (error: unknown) => setFailure(failureText(error)));
  }, [show]);

  // Steps that move on by themselves: begin, finish once allowed, automatic push.
  useEffect(() => {
    if (!view) return;
    if (view.stage === 'begin' && begun.current !== view.flowId) {
      begun.current = view.flowId;
      void run((a) => a.begin());
    }
    if (view.stage === 'allowed' && !finishing.current) {
      finishing.current = true;
      void run((a) => a.finish(remember));
    }
    if (
      view.stage === 'factor' &&
      view.autoPush &&
      view.defaultMethod === 'push' &&
      view.tx?.state === 'awaiting_factor' &&
      !autoPushed.current
    ) {
      autoPushed.current = true;
      void run((a) => a.push(view.methods.push[0]?.id ?? 'auto', true));
    }
  }, [view, run, remember]);

  // Live status while a push waits on the phone: a long poll that returns when the transaction changes.
  const pushedVersion = view?.tx?.state === 'pushed' ? view.tx.version : null;
  useEffect(() => {
    if (pushedVersion === null || !api.current) return;
    const controller = new AbortController();
    const current = api.current;
    (async () => {
      let version = pushedVersion;
      while (!controller.signal.aborted) {
        try {
          const next = await current.status(version, controller.signal);
          if (next.tx?.version !== version || next.tx?.state !== 'pushed') {
            show(next);
            return;
          }
          version = next.tx.version;
        } catch {
          if (controller.signal.aborted) return;
          await new Promise((resolve) => setTimeout(resolve, 2000));
        }
      }
    })();
    return () => controller.abort();
  }, [pushedVersion, show]);

  if (failure) {
    return (
      <Frame organization={view?.organization ?? null}>
        <MessageStep title="This sign-in can't continue" text={failure} />
      </Frame>
    );
  }
  if (!view) {
    return (
      <Frame organization={null}>
        <p aria-live="polite">Loading…</p>
      </Frame>
    );
  }
  const cancel = () => run((a) => a.cancel());
  return (
    <Frame
      organization={view.organization}
      view={view}
      onCancel={['password', 'factor', 'enroll'].includes(view.stage) ? cancel : undefined}
    >
      {view.stage === 'password' && <PasswordStep view={view} onSubmit={(p) => run((a) => a.password(p))} />}
      {(view.stage === 'begin' || view.stage === 'allowed') && (
        <MessageStep
          title={view.stage === 'allowed' ? 'Confirmed' : 'Confirm it’s you'}
          text={view.stage === 'allowed' ? `Returning you to ${view.application}…` : 'One moment…'}
          live
        />
      )}
      {view.stage === 'factor' && (
        <FactorStep view={view} run={run} remember={remember} onRemember={setRemember} />
      )}
      {view.stage === 'enroll' && (
        <MessageStep
          title="Set up a second way to sign in"
          text={`${view.organization} asks you to add a phone or a security key before you sign in to ${view.application}. It takes about two minutes, then you come back here.`}
          action={{ label: 'Start set-up', onClick: () => run((a) => a.enroll()) }}
        />
      )}
      {view.stage === 'blocked' && view.message && (
        <MessageStep
          title={view.message.title}
          text={view.message.text}
          action={{ label: `Return to ${view.application}`, onClick: cancel }}
        />
      )}
    </Frame>
  );
}
