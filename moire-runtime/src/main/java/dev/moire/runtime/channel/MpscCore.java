package dev.moire.runtime.channel;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.runtime.Deferred;
import dev.moire.runtime.EntityPair;
import dev.moire.runtime.EventBuffer;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.WaitToken;
import dev.moire.runtime.WeakEntityHandle;
import dev.moire.runtime.internal.Blocking;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The state of one mpsc channel, shared by its sender clones and its receiver.
 *
 * <p>Invariants: all fields are guarded by {@code lock}; the channel is closed for the receiver
 * once {@code senders == 0} and the queue is drained; once {@code receiverClosed}, every send
 * fails. The graph is updated under {@code lock} (the runtime's lock is a leaf, so this adds no
 * lock-order hazard), which keeps {@code queue_len} and the totals in step with the queue.
 *
 * <p>A send or receive that does not wait writes nothing to the graph: its event waits in {@code
 * events} and the bodies are marked stale. Both are written ({@link #flushLocked}) before a task
 * waits on the channel, before an end closes or the sender count changes, when 256 events are
 * waiting, and whenever the graph is observed (this core is the {@link Deferred} of both ends).
 */
final class MpscCore<T> implements Deferred {
  final String name;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final ArrayDeque<T> queue = new ArrayDeque<>();
  private final OptionalInt capacity;
  private final int bound;
  private int senders = 1;
  private boolean receiverClosed;
  private long sentTotal;
  private long recvTotal;
  private long highWatermark;
  private final Tracking<EntityBody.MpscTx> tx;
  private final Tracking<EntityBody.MpscRx> rx;
  private final WeakEntityHandle<EntityBody.MpscTx> txWeak;
  private final EventBuffer events;
  private boolean bodiesStale;

  MpscCore(MoireRuntime runtime, String name, OptionalInt capacity) {
    EntityPair<EntityBody.MpscTx, EntityBody.MpscRx> pair =
        runtime.createPair(name, EntityBody.MpscTx.open(capacity), new EntityBody.MpscRx(0));
    this.name = pair.first().name();
    this.capacity = capacity;
    this.bound = capacity.orElse(Integer.MAX_VALUE);
    this.events = new EventBuffer(runtime);
    this.tx = new Tracking<>(runtime, pair.first(), events);
    this.rx = new Tracking<>(runtime, pair.second(), events);
    this.txWeak = pair.first().downgrade();
    pair.first().deferUntilObserved(this);
    pair.second().deferUntilObserved(this);
  }

  EntityId txId() {
    return tx.handle.id();
  }

  EntityId rxId() {
    return rx.handle.id();
  }

  String describe() {
    return "channel '" + name + "'";
  }

  // ---- senders ----

  Optional<EntityId> holdTx() {
    return tx.hold();
  }

  /** Counts one more sender clone, held by the current task. */
  Optional<EntityId> addSender() {
    lock.lock();
    try {
      senders++;
      bodiesStale = true;
      flushLocked();
      return tx.hold();
    } finally {
      lock.unlock();
    }
  }

  /** Counts one sender fewer; the last closes the channel for the receiver. */
  void releaseSender(Optional<EntityId> holder) {
    lock.lock();
    try {
      tx.release(holder);
      senders--;
      bodiesStale = true;
      flushLocked();
      if (senders == 0) {
        tx.close();
        notEmpty.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Sends, waiting while full; {@code timeoutNanos < 0} waits without a limit. */
  boolean send(T message, long timeoutNanos) throws InterruptedException {
    try {
      return sendLocked(message, timeoutNanos);
    } finally {
      events.writeHandedOff(); // a full batch of events, written without holding the lock
    }
  }

  private boolean sendLocked(T message, long timeoutNanos) throws InterruptedException {
    lock.lock();
    try {
      tx.polled();
      boolean waited = false;
      long waitNs = 0;
      if (!receiverClosed && queue.size() >= bound) {
        if (timeoutNanos == 0) {
          return false;
        }
        waited = true;
        flushLocked();
        try (WaitToken wait = tx.runtime.beginWait(tx.handle, timeoutNanos > 0)) {
          if (!Blocking.awaitWhile(
              notFull, wait, () -> !receiverClosed && queue.size() >= bound, timeoutNanos)) {
            return false;
          }
          waitNs = wait.elapsedNanos();
        }
      }
      if (receiverClosed) {
        tx.sent(waitNs, waited, true);
        throw new ChannelClosedException(describe() + " is closed: its receiver was closed");
      }
      queue.addLast(message);
      sentTotal++;
      highWatermark = Math.max(highWatermark, queue.size());
      bodiesStale = true;
      tx.sent(waitNs, waited, false);
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  // ---- receiver ----

  Optional<EntityId> holdRx() {
    return rx.hold();
  }

  /**
   * Receives, waiting while empty and open; {@code timeoutNanos < 0} waits without a limit. Returns
   * empty on timeout or once closed and drained.
   */
  Optional<T> recv(long timeoutNanos) throws InterruptedException {
    try {
      return recvLocked(timeoutNanos);
    } finally {
      events.writeHandedOff(); // a full batch of events, written without holding the lock
    }
  }

  private Optional<T> recvLocked(long timeoutNanos) throws InterruptedException {
    lock.lock();
    try {
      rx.polled();
      boolean waited = false;
      long waitNs = 0;
      if (queue.isEmpty() && senders > 0) {
        if (timeoutNanos == 0) {
          return Optional.empty();
        }
        waited = true;
        flushLocked();
        try (WaitToken wait = rx.runtime.beginWait(rx.handle, timeoutNanos > 0)) {
          if (!Blocking.awaitWhile(
              notEmpty, wait, () -> queue.isEmpty() && senders > 0, timeoutNanos)) {
            return Optional.empty();
          }
          waitNs = wait.elapsedNanos();
        }
      }
      T message = queue.pollFirst();
      if (message == null) {
        rx.received(waitNs, waited, true);
        return Optional.empty();
      }
      recvTotal++;
      bodiesStale = true;
      rx.received(waitNs, waited, false);
      notFull.signal();
      return Optional.of(message);
    } finally {
      lock.unlock();
    }
  }

  /** Closes the receiving side: queued messages are dropped and every send fails from now on. */
  void closeReceiver(Optional<EntityId> holder) {
    lock.lock();
    try {
      receiverClosed = true;
      queue.clear();
      bodiesStale = true;
      flushLocked();
      rx.release(holder);
      rx.close();
      publishTxWeak();
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
  }

  boolean isDrained() {
    lock.lock();
    try {
      return senders == 0 && queue.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  boolean isReceiverClosed() {
    lock.lock();
    try {
      return receiverClosed;
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void flush() {
    lock.lock();
    try {
      flushLocked();
    } finally {
      lock.unlock();
    }
  }

  /** Writes the waiting events, then the bodies if stale; the caller holds {@code lock}. */
  private void flushLocked() {
    events.flush();
    if (bodiesStale) {
      bodiesStale = false;
      if (!rx.handle.isClosed()) {
        long total = recvTotal;
        rx.handle.mutate(b -> new EntityBody.MpscRx(total));
      }
      publishTxWeak();
    }
  }

  /** Sets the sender's body through the weak handle, as the receiver side does. */
  private void publishTxWeak() {
    EntityBody.MpscTx body = txBody();
    txWeak.mutate(b -> body);
  }

  private EntityBody.MpscTx txBody() {
    return new EntityBody.MpscTx(queue.size(), capacity, highWatermark, senders, sentTotal);
  }

  static long toNanos(Duration timeout) {
    if (timeout.isNegative()) {
      return 0;
    }
    try {
      return timeout.toNanos();
    } catch (ArithmeticException e) {
      return TimeUnit.DAYS.toNanos(365 * 100);
    }
  }
}
