// Asks the server every few seconds whether the phone has used the activation code yet.

export type ActivationStatus = 'waiting' | 'success' | 'invalid';

/** Polls `POST statusUrl {code}` until success or invalid; returns a function that stops polling. */
export function pollActivation(
  statusUrl: string,
  code: string,
  onStatus: (status: ActivationStatus) => void,
  options: { intervalMs: number },
): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async () => {
    let status: ActivationStatus = 'waiting';
    try {
      const response = await fetch(statusUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
        cache: 'no-store',
      });
      const body = (await response.json()) as { status?: string };
      if (body.status === 'success' || body.status === 'invalid') status = body.status;
    } catch {
      // A network blip: keep waiting.
    }
    if (stopped) return;
    onStatus(status);
    if (status === 'waiting') timer = setTimeout(() => void tick(), options.intervalMs);
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
