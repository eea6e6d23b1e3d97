package dev.moire.runtime.channel;

import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.EventBody;
import dev.moire.model.Source;
import dev.moire.runtime.EntityHandle;
import dev.moire.runtime.MoireRuntime;
import dev.moire.runtime.internal.Holders;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The bookkeeping every channel endpoint shares: {@code polls} edges from the operating task,
 * {@code holds} edges counted per task (by {@link Holders}, which guards itself), and send/receive
 * events. Events are recorded under the channel's internal lock, which orders them like the
 * operations they describe.
 */
final class Tracking<B extends EntityBody> {
  final MoireRuntime runtime;
  final EntityHandle<B> handle;
  private final Holders<B> holders;

  Tracking(MoireRuntime runtime, EntityHandle<B> handle) {
    this.runtime = runtime;
    this.handle = handle;
    this.holders = new Holders<>(runtime, handle, false);
  }

  /** Ensures the current task {@code polls} this endpoint. */
  void polled() {
    holders.polled();
  }

  /** Counts one more hold by the current task; returns the holder to pass to {@link #release}. */
  Optional<EntityId> hold() {
    Optional<EntityId> task = runtime.currentTask();
    holders.add(task, 1);
    return task;
  }

  /** Counts one hold fewer for {@code holder}; the last removes its {@code holds} edge. */
  void release(Optional<EntityId> holder) {
    holders.remove(holder, 1);
  }

  /** Returns the source of an operation: the caller when captured, else the creation site. */
  Source source() {
    return runtime.operationSource().orElse(handle.source());
  }

  void sent(long waitNs, boolean waited, boolean closed) {
    if (!handle.isClosed()) {
      handle.recordEvent(
          new EventBody.ChannelSent(
              waited ? OptionalLong.of(waitNs) : OptionalLong.empty(), closed),
          source());
    }
  }

  void received(long waitNs, boolean waited, boolean closed) {
    if (!handle.isClosed()) {
      handle.recordEvent(
          new EventBody.ChannelReceived(
              waited ? OptionalLong.of(waitNs) : OptionalLong.empty(), closed),
          source());
    }
  }

  void close() {
    if (!handle.isClosed()) {
      handle.close();
    }
  }
}
