package dev.moire.runtime.internal;

import dev.moire.model.ScopeId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The tracked waits in progress and the scopes whose waits the harness has aborted.
 *
 * <p>A wait registers its thread (with the thread's scopes) and then checks for an abort; an abort
 * records the scope and then interrupts registered threads of that scope. Whichever comes second
 * sees the other, so no wait of an aborted scope is missed. The interrupted wait rethrows the
 * abort's {@link Error} instead of an {@link InterruptedException}.
 */
public final class Waits {
  private final Map<ScopeId, Error> aborted = new ConcurrentHashMap<>();
  private final Map<Thread, List<ScopeId>> waiting = new ConcurrentHashMap<>();

  /**
   * Registers the calling thread as waiting, unless its scopes are aborted.
   *
   * @throws Error the abort's error, if one of {@code scopes} is aborted
   */
  public void register(List<ScopeId> scopes) {
    waiting.put(Thread.currentThread(), scopes);
    Error e = abortFor(scopes);
    if (e != null) {
      waiting.remove(Thread.currentThread());
      throw e;
    }
  }

  /** Unregisters the calling thread. */
  public void unregister() {
    waiting.remove(Thread.currentThread());
  }

  /** Returns the abort error that applies to a wait in {@code scopes}, if any. */
  public @Nullable Error abortFor(List<ScopeId> scopes) {
    if (aborted.isEmpty()) {
      return null;
    }
    for (ScopeId s : scopes) {
      Error e = aborted.get(s);
      if (e != null) {
        return e;
      }
    }
    return null;
  }

  /** Aborts every current and later wait in {@code scope}; returns how many were interrupted. */
  public int abort(ScopeId scope, Error error) {
    aborted.put(scope, error);
    int n = 0;
    for (Map.Entry<Thread, List<ScopeId>> e : waiting.entrySet()) {
      if (e.getValue().contains(scope)) {
        e.getKey().interrupt();
        n++;
      }
    }
    return n;
  }

  /** Lets waits in {@code scope} block again. */
  public void clear(ScopeId scope) {
    aborted.remove(scope);
  }

  /** Returns the threads waiting now in {@code scope}. */
  public List<Thread> waitingIn(ScopeId scope) {
    return waiting.entrySet().stream()
        .filter(e -> e.getValue().contains(scope))
        .map(Map.Entry::getKey)
        .toList();
  }
}
