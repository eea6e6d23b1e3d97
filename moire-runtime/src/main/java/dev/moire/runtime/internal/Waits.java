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
  private final Map<Thread, Registration> waiting = new ConcurrentHashMap<>();

  /**
   * One thread's wait. The abort's interrupt and the end of the wait are a handshake under the
   * registration's monitor: a wait that ends (say, it acquired its lock just as the abort came)
   * withdraws the interrupt that was meant for it, so it does not leak into user code.
   */
  private static final class Registration {
    final Thread thread;
    final List<ScopeId> scopes;
    boolean ended;
    boolean interrupted;

    Registration(Thread thread, List<ScopeId> scopes) {
      this.thread = thread;
      this.scopes = scopes;
    }

    synchronized void interrupt() {
      if (!ended) {
        interrupted = true;
        thread.interrupt();
      }
    }

    synchronized void end() {
      ended = true;
      if (interrupted) {
        Thread.interrupted(); // ours, not the user's: withdraw it
      }
    }
  }

  /**
   * Registers the calling thread as waiting, unless its scopes are aborted.
   *
   * @throws Error the abort's error, if one of {@code scopes} is aborted
   */
  public void register(List<ScopeId> scopes) {
    Thread me = Thread.currentThread();
    waiting.put(me, new Registration(me, scopes));
    Error e = abortFor(scopes);
    if (e != null) {
      unregister();
      throw e;
    }
  }

  /** Unregisters the calling thread, withdrawing an abort interrupt it no longer needs. */
  public void unregister() {
    Registration r = waiting.remove(Thread.currentThread());
    if (r != null) {
      r.end();
    }
  }

  /** Returns the abort error that applies to a wait in {@code scopes}, if any. */
  public @Nullable Error abortFor(List<ScopeId> scopes) {
    // By key, not isEmpty(): a concurrent map's size may read zero while entries are added and
    // removed elsewhere, and an abort missed here would leave the wait to hang.
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
    for (Registration r : waiting.values()) {
      if (r.scopes.contains(scope)) {
        r.interrupt();
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
    return waiting.values().stream()
        .filter(r -> r.scopes.contains(scope))
        .map(r -> r.thread)
        .toList();
  }
}
