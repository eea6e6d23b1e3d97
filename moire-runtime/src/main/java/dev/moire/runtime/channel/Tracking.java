package dev.moire.runtime.channel;

import dev.moire.model.EdgeKind;
import dev.moire.model.EntityBody;
import dev.moire.model.EntityId;
import dev.moire.model.EventBody;
import dev.moire.model.Source;
import dev.moire.runtime.EdgeHandle;
import dev.moire.runtime.EntityHandle;
import dev.moire.runtime.MoireRuntime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The bookkeeping every channel endpoint shares: {@code polls} edges from the operating task,
 * {@code holds} edges counted per task, and send/receive events. Callers hold the channel's
 * internal lock, which orders these records like the operations they describe.
 */
final class Tracking<B extends EntityBody> {
  final MoireRuntime runtime;
  final EntityHandle<B> handle;
  private final Map<EntityId, Hold> holders = new HashMap<>();

  private static final class Hold {
    int count;
    final EdgeHandle edge;

    Hold(EdgeHandle edge) {
      this.edge = edge;
    }
  }

  Tracking(MoireRuntime runtime, EntityHandle<B> handle) {
    this.runtime = runtime;
    this.handle = handle;
  }

  /** Ensures the current task {@code polls} this endpoint. */
  void polled() {
    if (!handle.isClosed()) {
      runtime.currentTask().ifPresent(t -> handle.linkFrom(t, EdgeKind.POLLS));
    }
  }

  /** Counts one more hold by the current task; returns the holder to pass to {@link #release}. */
  Optional<EntityId> hold() {
    Optional<EntityId> task = runtime.currentTask();
    if (task.isPresent() && !handle.isClosed()) {
      Hold h =
          holders.computeIfAbsent(
              task.get(),
              t -> new Hold(handle.linkFromOwned(t, EdgeKind.HOLDS, false, Optional.empty())));
      h.count++;
    }
    return task;
  }

  /** Counts one hold fewer for {@code holder}; the last removes its {@code holds} edge. */
  void release(Optional<EntityId> holder) {
    if (holder.isEmpty()) {
      return;
    }
    Hold h = holders.get(holder.get());
    if (h != null && --h.count == 0) {
      holders.remove(holder.get());
      h.edge.close();
    }
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
