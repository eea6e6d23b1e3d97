package dev.moire.runtime.channel;

import dev.moire.runtime.MoireRuntime;

/**
 * Tracked channels in the JVM's global runtime, in the shapes of tokio's: mpsc (bounded or not),
 * oneshot, watch and broadcast.
 *
 * <pre>{@code
 * MpscChannel<Job> jobs = Channels.mpsc("jobs", 16);
 * try (Sender<Job> tx = jobs.sender()) {
 *   tx.send(new Job(1));          // waits while 16 jobs are queued
 * }                               // the last sender closed: the channel closes
 * for (Job job : jobs.receiver()) {
 *   run(job);                     // ends once closed and drained
 * }
 * }</pre>
 */
public final class Channels {
  private Channels() {}

  /** Returns a factory of channels tracked in {@code runtime}. */
  public static ChannelFactory on(MoireRuntime runtime) {
    return new ChannelFactory(runtime);
  }

  /**
   * Returns a bounded mpsc channel.
   *
   * @throws IllegalArgumentException if {@code name} is blank or {@code capacity} is not positive
   */
  public static <T> MpscChannel<T> mpsc(String name, int capacity) {
    return on(MoireRuntime.global()).mpsc(name, capacity);
  }

  /**
   * Returns an unbounded mpsc channel.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static <T> MpscChannel<T> mpscUnbounded(String name) {
    return on(MoireRuntime.global()).mpscUnbounded(name);
  }

  /**
   * Returns a oneshot channel.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static <T> OneshotChannel<T> oneshot(String name) {
    return on(MoireRuntime.global()).oneshot(name);
  }

  /**
   * Returns a watch channel holding {@code initial}.
   *
   * @throws IllegalArgumentException if {@code name} is blank
   */
  public static <T> WatchChannel<T> watch(String name, T initial) {
    return on(MoireRuntime.global()).watch(name, initial);
  }

  /**
   * Returns a broadcast channel keeping {@code capacity} messages.
   *
   * @throws IllegalArgumentException if {@code name} is blank or {@code capacity} is not positive
   */
  public static <T> BroadcastChannel<T> broadcast(String name, int capacity) {
    return on(MoireRuntime.global()).broadcast(name, capacity);
  }
}
