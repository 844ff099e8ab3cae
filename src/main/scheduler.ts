import type { Container } from './container.js';

/**
 * Queues the periodic jobs when they are due — the fixity sweep and the OAI-PMH sources whose
 * harvest interval has passed; any process may, the queue dedupes.
 */
export function startScheduler(container: Container, onError: (err: unknown) => void, everyMs = 3600_000): { stop(): void } {
  const tick = () => {
    void container.services.fixity.schedule().catch(onError);
    void container.services.harvest.scheduleDue().catch(onError);
  };
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
