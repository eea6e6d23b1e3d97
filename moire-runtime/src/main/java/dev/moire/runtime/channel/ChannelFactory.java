package dev.moire.runtime.channel;

import dev.moire.model.internal.Checks;
import dev.moire.runtime.MoireRuntime;
import java.util.OptionalInt;

/**
 * Makes tracked channels in one runtime; {@link Channels} does the same in the global runtime. Each
 * channel is a sender entity and a receiver entity, {@code tx paired_with rx}, both held by the
 * creating task until closed.
 */
public final class ChannelFactory {
  private final MoireRuntime runtime;

  ChannelFactory(MoireRuntime runtime) {
    this.runtime = Checks.notNull(runtime, "runtime");
  }

  /**
   * Returns a bounded mpsc channel: sends wait while {@code capacity} messages are queued.
   *
   * @throws IllegalArgumentException if {@code name} is blank or {@code capacity} is not positive
   */
  public <T> MpscChannel<T> mpsc(String name, int capacity) {
    Checks.notBlank(name, "channel name");
    if (capacity <= 0) {
      throw new IllegalArgumentException(
          "capacity of channel '" + name + "' must be positive: " + capacity);
    }
    return mpsc(name, OptionalInt.of(capacity));
  }

  /**
   * Returns an unbounded mpsc channel: sends never wait.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public <T> MpscChannel<T> mpscUnbounded(String name) {
    Checks.notBlank(name, "channel name");
    return mpsc(name, OptionalInt.empty());
  }

  private <T> MpscChannel<T> mpsc(String name, OptionalInt capacity) {
    MpscCore<T> core = new MpscCore<>(runtime, name, capacity);
    return new MpscChannel<>(
        new Sender<>(core, core.holdTx()), new Receiver<>(core, core.holdRx()));
  }

  /**
   * Returns a oneshot channel: one value, from one sender to one receiver.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public <T> OneshotChannel<T> oneshot(String name) {
    Checks.notBlank(name, "channel name");
    OneshotCore<T> core = new OneshotCore<>(runtime, name);
    return new OneshotChannel<>(
        new OneshotSender<>(core, core.holdTx()), new OneshotReceiver<>(core, core.holdRx()));
  }

  /**
   * Returns a watch channel holding {@code initial}: receivers see the latest value and wait for
   * changes.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   * @throws NullPointerException if {@code initial} is null
   */
  public <T> WatchChannel<T> watch(String name, T initial) {
    Checks.notBlank(name, "channel name");
    Checks.notNull(initial, "initial value of watch '" + name + "'");
    WatchCore<T> core = new WatchCore<>(runtime, name, initial);
    WatchSender<T> sender = new WatchSender<>(core, core.holdTx());
    return new WatchChannel<>(sender, WatchReceiver.open(core, core.version()));
  }

  /**
   * Returns a broadcast channel keeping the last {@code capacity} messages for slow receivers.
   *
   * @throws IllegalArgumentException if {@code name} is blank or {@code capacity} is not positive
   */
  public <T> BroadcastChannel<T> broadcast(String name, int capacity) {
    Checks.notBlank(name, "channel name");
    if (capacity <= 0) {
      throw new IllegalArgumentException(
          "capacity of broadcast '" + name + "' must be positive: " + capacity);
    }
    BroadcastCore<T> core = new BroadcastCore<>(runtime, name, capacity);
    BroadcastSender<T> sender = new BroadcastSender<>(core, core.holdTx());
    return new BroadcastChannel<>(sender, new BroadcastReceiver<>(core));
  }
}
