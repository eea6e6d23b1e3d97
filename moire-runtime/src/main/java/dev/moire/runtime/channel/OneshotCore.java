package dev.moire.runtime.channel;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.Source;
import dev.moire.runtime.EntityPair;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.WaitToken;
import dev.moire.runtime.internal.Blocking;
import dev.moire.runtime.internal.SourceCapture;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The state of one oneshot channel: at most one value, from one sender to one receiver.
 *
 * <p>All fields are guarded by {@code lock}. The sender's entity leaves the graph when it sends or
 * closes; the receiver's when it has received or closes.
 */
final class OneshotCore<T> {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition done = lock.newCondition();
  private @Nullable T value;
  private boolean sent;
  private boolean senderClosed;
  private boolean receiverClosed;
  private boolean taken;
  private final Tracking<EntityBody.OneshotTx> tx;
  private final Tracking<EntityBody.OneshotRx> rx;

  OneshotCore(MoireRuntime runtime, String name) {
    // Lazily (issue 18): a oneshot used up before anyone looks or waits never takes the graph's
    // lock.
    EntityPair<EntityBody.OneshotTx, EntityBody.OneshotRx> pair =
        runtime.createPairLazily(
            name,
            new EntityBody.OneshotTx(false),
            new EntityBody.OneshotRx(),
            runtime.isEnabled() ? SourceCapture.caller() : Source.UNKNOWN);
    this.tx = new Tracking<>(runtime, pair.first(), lock);
    this.rx = new Tracking<>(runtime, pair.second(), lock);
  }

  String describe() {
    return "oneshot '" + tx.handle.name() + "'"; // the name in its test once it is in the graph
  }

  EntityId txId() {
    return tx.handle.id();
  }

  EntityId rxId() {
    return rx.handle.id();
  }

  Optional<EntityId> holdTx() {
    return tx.hold();
  }

  Optional<EntityId> holdRx() {
    return rx.hold();
  }

  void send(T message) {
    lock.lock();
    try {
      if (sent) {
        throw new IllegalStateException(describe() + " was already sent");
      }
      if (senderClosed) {
        throw new IllegalStateException("sender of " + describe() + " is closed");
      }
      tx.polled();
      if (receiverClosed) {
        tx.sent(0, false, true);
        throw new ChannelClosedException(describe() + " is closed: its receiver was closed");
      }
      value = message;
      sent = true;
      tx.handle.mutate(b -> new EntityBody.OneshotTx(true));
      tx.sent(0, false, false);
      tx.close();
      done.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void closeSender(Optional<EntityId> holder) {
    lock.lock();
    try {
      tx.release(holder);
      if (!sent) {
        senderClosed = true;
        tx.close();
        done.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Waits for the value; {@code timeoutNanos < 0} waits without a limit, 0 not at all. */
  Optional<T> recv(long timeoutNanos, boolean[] timedOut) throws InterruptedException {
    lock.lock();
    try {
      if (taken) {
        throw new IllegalStateException(describe() + " was already received");
      }
      rx.polled();
      boolean waited = false;
      long waitNs = 0;
      if (!sent && !senderClosed) {
        if (timeoutNanos == 0) {
          timedOut[0] = true;
          return Optional.empty();
        }
        waited = true;
        try (WaitToken wait = rx.runtime.beginWait(rx.handle, timeoutNanos > 0)) {
          if (!Blocking.awaitWhile(done, wait, () -> !sent && !senderClosed, timeoutNanos)) {
            timedOut[0] = true;
            return Optional.empty();
          }
          waitNs = wait.elapsedNanos();
        }
      }
      taken = true;
      T out = value;
      value = null;
      rx.received(waitNs, waited, out == null);
      rx.close();
      return Optional.ofNullable(out);
    } finally {
      lock.unlock();
    }
  }

  void closeReceiver(Optional<EntityId> holder) {
    lock.lock();
    try {
      receiverClosed = true;
      value = null;
      rx.release(holder);
      rx.close();
    } finally {
      lock.unlock();
    }
  }

  boolean isSent() {
    lock.lock();
    try {
      return sent;
    } finally {
      lock.unlock();
    }
  }
}
