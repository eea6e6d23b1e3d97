package dev.moire.junit;

import dev.moire.model.Source;
import dev.moire.model.ThreadSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/**
 * Notices the test's threads that loop in timed waits without making progress: at every observation
 * in {@code TIMED_WAITING} at the same frames, having woken (used a little CPU) in between. Such a
 * thread keeps a stall from being certain, so the test runs into its timeout; the evidence stored
 * then says what it was doing (a retry loop whose condition never comes true).
 *
 * <p>Fed by the watchdog only; {@link #describe} may be read from any thread.
 */
final class Loopers {
  /** Wake-ups at the same frames before a thread counts as looping. */
  static final int WAKE_UPS = 3;

  private record Track(List<Source> frames, long cpu, long since, int wakeUps) {}

  private Map<Long, Track> tracks = new HashMap<>();
  private volatile List<String> looping = List.of();

  /** Takes one observation of the test's threads and their CPU time (negative when unknown). */
  void observe(List<ThreadSnapshot> threads, LongUnaryOperator cpuOf, long nowNanos) {
    Map<Long, Track> next = new HashMap<>();
    List<String> out = new ArrayList<>();
    for (ThreadSnapshot t : threads) {
      if (t.state() != Thread.State.TIMED_WAITING || t.topFrames().isEmpty()) {
        continue;
      }
      long cpu = cpuOf.applyAsLong(t.threadId());
      Track before = tracks.get(t.threadId());
      Track now;
      if (before == null || !before.frames().equals(t.topFrames())) {
        now = new Track(t.topFrames(), cpu, nowNanos, 0);
      } else {
        boolean woke = cpu >= 0 && before.cpu() >= 0 && cpu > before.cpu();
        now = new Track(t.topFrames(), cpu, before.since(), before.wakeUps() + (woke ? 1 : 0));
      }
      next.put(t.threadId(), now);
      if (now.wakeUps() >= WAKE_UPS) {
        out.add(
            "'"
                + t.name()
                + "' loops in timed waits at "
                + userFrame(t.topFrames())
                + ": the same frames at "
                + now.wakeUps()
                + " wake-ups over "
                + (nowNanos - now.since()) / 1_000_000
                + " ms");
      }
    }
    tracks = next;
    looping = List.copyOf(out);
  }

  /** Returns the looping threads, described for a person; empty when none. */
  List<String> describe() {
    return looping;
  }

  private static String userFrame(List<Source> frames) {
    for (Source f : frames) {
      String c = f.className();
      if (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.")) {
        return c.substring(c.lastIndexOf('.') + 1) + "." + f.method() + " (" + f.location() + ")";
      }
    }
    Source top = frames.get(0);
    return top.className() + "." + top.method();
  }
}
