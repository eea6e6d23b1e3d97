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
import org.jspecify.annotations.Nullable;

/**
 * The state of one broadcast channel: a ring of the last {@code capacity} messages, numbered from
 * 0; each receiver keeps the number of the next message it will read. A receiver further behind
 * than the ring holds has lagged. All fields are guarded by {@code lock}.
 */
final class BroadcastCore<T> {
  final String name;
  final MoireRuntime runtime;
  final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition sent = lock.newCondition();
  private final Object[] ring;
  private long tail;
  private int senders = 1;
  private int receivers;
  private final Tracking<EntityBody.BroadcastTx> tx;
  private @Nullable EntityHandle<EntityBody.BroadcastRx> firstRx;

  BroadcastCore(MoireRuntime runtime, String name, int capacity) {
    EntityPair<EntityBody.BroadcastTx, EntityBody.BroadcastRx> pair =
        runtime.createPair(
            name, new EntityBody.BroadcastTx(capacity), new EntityBody.BroadcastRx(0));
    this.runtime = runtime;
    this.name = pair.first().name();
    this.capacity = capacity;
    this.ring = new Object[capacity];
    this.tx = new Tracking<>(runtime, pair.first(), lock);
    this.firstRx = pair.second();
  }

  String describe() {
    return "broadcast '" + name + "'";
  }

  EntityId txId() {
    return tx.handle.id();
  }

  Optional<EntityId> holdTx() {
    return tx.hold();
  }

  Optional<EntityId> addSender() {
    lock.lock();
    try {
      senders++;
      return tx.hold();
    } finally {
      lock.unlock();
    }
  }

  void releaseSender(Optional<EntityId> holder) {
    lock.lock();
    try {
      tx.release(holder);
      if (--senders == 0) {
        tx.close();
        sent.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Returns a new receiver's tracking and the number of the next message it will read. */
  Tracking<EntityBody.BroadcastRx> addReceiver(long[] next) {
    lock.lock();
    try {
      EntityHandle<EntityBody.BroadcastRx> handle = firstRx;
      if (handle == null) {
        handle = runtime.createPeer(tx.handle, new EntityBody.BroadcastRx(0));
      }
      firstRx = null;
      receivers++;
      next[0] = tail;
      return new Tracking<>(runtime, handle, lock);
    } finally {
      lock.unlock();
    }
  }

  int send(T message) {
    lock.lock();
    try {
      tx.polled();
      if (receivers == 0) {
        tx.sent(0, false, true);
        throw new ChannelClosedException(describe() + " is closed: it has no receiver left");
      }
      ring[(int) (tail % capacity)] = message;
      tail++;
      tx.sent(0, false, false);
      sent.signalAll();
      return receivers;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Receives message number {@code next[0]} for a receiver, advancing it. Returns empty when every
   * sender is closed and nothing is left, or on timeout ({@code timedOut[0]} set).
   *
   * @throws LaggedException if the receiver fell behind the ring
   */
  @SuppressWarnings("unchecked") // the ring only holds Ts
  Optional<T> recv(
      Tracking<EntityBody.BroadcastRx> rx,
      long[] next,
      long[] lag,
      long timeoutNanos,
      boolean[] timedOut)
      throws InterruptedException {
    lock.lock();
    try {
      rx.polled();
      long oldest = Math.max(0, tail - capacity);
      if (next[0] < oldest) {
        long missed = oldest - next[0];
        next[0] = oldest;
        lag[0] += missed;
        long total = lag[0];
        rx.handle.mutate(b -> new EntityBody.BroadcastRx(total));
        throw new LaggedException(describe(), missed);
      }
      boolean waited = false;
      long waitNs = 0;
      if (next[0] == tail && senders > 0) {
        if (timeoutNanos == 0) {
          timedOut[0] = true;
          return Optional.empty();
        }
        waited = true;
        try (WaitToken wait = runtime.beginWait(rx.handle, timeoutNanos > 0)) {
          if (!Blocking.awaitWhile(
              sent, wait, () -> next[0] == tail && senders > 0, timeoutNanos)) {
            timedOut[0] = true;
            return Optional.empty();
          }
          waitNs = wait.elapsedNanos();
        }
        if (next[0] < Math.max(0, tail - capacity)) {
          return recv(rx, next, lag, timeoutNanos, timedOut);
        }
      }
      if (next[0] == tail) {
        rx.received(waitNs, waited, true);
        return Optional.empty();
      }
      T message = (T) ring[(int) (next[0] % capacity)];
      next[0]++;
      rx.received(waitNs, waited, false);
      return Optional.of(message);
    } finally {
      lock.unlock();
    }
  }

  void closeReceiver(Tracking<EntityBody.BroadcastRx> rx, Optional<EntityId> holder) {
    lock.lock();
    try {
      receivers--;
      rx.release(holder);
      rx.close();
    } finally {
      lock.unlock();
    }
  }

  Optional<EntityId> hold(Tracking<EntityBody.BroadcastRx> rx) {
    return rx.hold();
  }
}
