package dev.moire.runtime.channel;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.runtime.EntityHandle;
import dev.moire.runtime.EntityPair;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.WaitToken;
import dev.moire.runtime.internal.Blocking;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The state of one watch channel: the latest value, its version, and the number of open receivers.
 * All fields are guarded by {@code lock}.
 */
final class WatchCore<T> {
  final String name;
  final MoireRuntime runtime;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private T value;
  private long version;
  private long changes;
  private boolean senderClosed;
  private int receivers;
  private final Tracking<EntityBody.WatchTx> tx;
  private @Nullable EntityHandle<EntityBody.WatchRx> firstRx;

  WatchCore(MoireRuntime runtime, String name, T initial) {
    EntityPair<EntityBody.WatchTx, EntityBody.WatchRx> pair =
        runtime.createPair(
            name, new EntityBody.WatchTx(Optional.empty(), 0), new EntityBody.WatchRx());
    this.runtime = runtime;
    this.name = pair.first().name();
    this.value = initial;
    this.tx = new Tracking<>(runtime, pair.first(), lock);
    this.firstRx = pair.second();
  }

  String describe() {
    return "watch '" + name + "'";
  }

  EntityId txId() {
    return tx.handle.id();
  }

  Optional<EntityId> holdTx() {
    return tx.hold();
  }

  /** Returns the tracking of a new receiver: the first one made with the channel, then peers. */
  Tracking<EntityBody.WatchRx> addReceiver() {
    lock.lock();
    try {
      EntityHandle<EntityBody.WatchRx> handle = firstRx;
      if (handle == null) {
        handle = runtime.createPeer(tx.handle, new EntityBody.WatchRx());
      }
      firstRx = null;
      receivers++;
      return new Tracking<>(runtime, handle, lock);
    } finally {
      lock.unlock();
    }
  }

  long version() {
    lock.lock();
    try {
      return version;
    } finally {
      lock.unlock();
    }
  }

  T borrow() {
    lock.lock();
    try {
      return value;
    } finally {
      lock.unlock();
    }
  }

  /** Replaces the value; fails when no receiver is left and {@code requireReceivers}. */
  void update(UnaryOperator<T> fn, boolean requireReceivers) {
    lock.lock();
    try {
      tx.polled();
      if (requireReceivers && receivers == 0) {
        tx.sent(0, false, true);
        throw new ChannelClosedException(describe() + " is closed: it has no receiver left");
      }
      T next = fn.apply(value);
      if (next == null) {
        throw new NullPointerException("new value for " + describe() + " must not be null");
      }
      value = next;
      version++;
      changes++;
      long count = changes;
      tx.bodyLater(new EntityBody.WatchTx(Optional.of(runtime.now()), count));
      tx.sent(0, false, false);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void closeSender(Optional<EntityId> holder) {
    lock.lock();
    try {
      tx.release(holder);
      senderClosed = true;
      tx.close();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the version differs from {@code seen}. Returns the new version, or -1 when the
   * sender is closed with nothing unseen, or -2 on timeout; {@code timeoutNanos < 0} waits without
   * a limit.
   */
  long awaitChange(Tracking<EntityBody.WatchRx> rx, long seen, long timeoutNanos)
      throws InterruptedException {
    lock.lock();
    try {
      rx.polled();
      boolean waited = false;
      long waitNs = 0;
      if (version == seen && !senderClosed) {
        if (timeoutNanos == 0) {
          return -2;
        }
        waited = true;
        try (WaitToken wait = runtime.beginWait(rx.handle, timeoutNanos > 0)) {
          if (!Blocking.awaitWhile(
              changed, wait, () -> version == seen && !senderClosed, timeoutNanos)) {
            return -2;
          }
          waitNs = wait.elapsedNanos();
        }
      }
      boolean closed = version == seen;
      rx.received(waitNs, waited, closed);
      return closed ? -1 : version;
    } finally {
      lock.unlock();
    }
  }

  void closeReceiver(Tracking<EntityBody.WatchRx> rx, Optional<EntityId> holder) {
    lock.lock();
    try {
      receivers--;
      rx.release(holder);
      rx.close();
    } finally {
      lock.unlock();
    }
  }

  Optional<EntityId> hold(Tracking<EntityBody.WatchRx> rx) {
    return rx.hold();
  }
}
