import type { Container } from './container.js';

/** Queues the periodic jobs (the fixity sweep) when they are due; any process may, the queue dedupes. */
export function startScheduler(container: Container, onError: (err: unknown) => void, everyMs = 3600_000): { stop(): void } {
  const tick = () => void container.services.fixity.schedule().catch(onError);
  const first = setTimeout(tick, 60_000);
  const timer = setInterval(tick, everyMs);
  first.unref();
  timer.unref();
  return {
    stop: () => {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
