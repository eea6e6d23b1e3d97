package dev.moire.samples.bad;

import dev.moire.junit.MoireTracked;
import dev.moire.model.findings.FindingKind;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The twin of {@link ForgottenLatchSample} in plain JDK code: a {@code CountDownLatch}. */
@KnownBad(
    finding = FindingKind.GLOBAL_STALL,
    story = "a warm-up forgets to count the latch down on one path (plain JDK)")
@MoireTracked
@Timeout(10)
final class PlainForgottenLatchSample {
  static void warmUp(CountDownLatch warmedUp, boolean cacheWasCold) {
    if (cacheWasCold) {
      return; // the bug: this path never counts down
    }
    warmedUp.countDown();
  }

  @Test
  void servesAfterWarmUp() throws Exception {
    CountDownLatch warmedUp = new CountDownLatch(1);
    Thread warmer = new Thread(() -> warmUp(warmedUp, true), "warmer");
    warmer.start();
    warmer.join();
    warmedUp.await();
  }
}
