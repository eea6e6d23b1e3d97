package dev.moire.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.moire.runtime.DeadlockDetectedError;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Virtual threads seen through the JVM's own thread dump (JDK 21+): the ones a test creates join
 * its thread table with their waits, and on JDK 25, which names the owners of monitors, a {@code
 * synchronized} cycle among them is a certain deadlock. A {@code ReentrantLock}'s owner is not in
 * the dump of JDK 25, so a ring of them is a certain stall that names each lock and line. A virtual
 * thread that sleeps is one that will act: no verdict while it does.
 */
@Timeout(60)
final class VirtualThreadEvidenceTest {
  @TempDir Path dir;

  /** Two virtual threads take two locks in opposite orders (see {@link JvmLocksTest}). */
  static void invert(Object a, Object b, JvmLocksTest.Locker locker) throws InterruptedException {
    CountDownLatch bothHold = new CountDownLatch(2);
    Thread one = Thread.ofVirtual().name("transfer-1").start(() -> locker.cross(a, b, bothHold));
    Thread two = Thread.ofVirtual().name("transfer-2").start(() -> locker.cross(b, a, bothHold));
    one.join();
    two.join();
  }

  @MoireTracked
  static final class VirtualTestCase {
    @Test
    @Timeout(20)
    void monitorInversionAmongVirtualThreads() throws Exception {
      invert(new JvmLocksTest.Account(), new JvmLocksTest.Account(), JvmLocksTest::monitors);
    }

    @Test
    @Timeout(20)
    void lockRingAmongVirtualThreads() throws Exception {
      invert(new ReentrantLock(), new ReentrantLock(), JvmLocksTest::locks);
    }

    @Test
    @Timeout(20)
    void waitsForAVirtualThreadThatSleeps() throws Exception {
      Thread sleeper =
          Thread.ofVirtual()
              .name("sleeper")
              .start(
                  () -> {
                    try {
                      Thread.sleep(600); // the work: the joiner waits on a thread that will act
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  });
      sleeper.join();
    }

    @Test
    @Timeout(1)
    void lockRingBesideAVirtualThreadThatTicks() throws Exception {
      Thread ticker =
          Thread.ofVirtual()
              .name("ticker")
              .start(
                  () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                      try {
                        Thread.sleep(20); // ticks for good: something in the test can still act
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  });
      try {
        lockRingAmongVirtualThreads();
      } finally {
        ticker.interrupt();
      }
    }
  }

  private EngineExecutionResults run(String method) {
    return Kit.run(dir, selectMethod(VirtualTestCase.class, method));
  }

  private static final String FILE = "JvmLocksTest\\.java:";

  @Test
  void aMonitorInversionAmongVirtualThreads_isACertainDeadlockOnJdk25() {
    assumeTrue(Runtime.version().feature() >= 25, "the JDK names monitor owners from JDK 25");
    EngineExecutionResults results = run("monitorInversionAmongVirtualThreads");
    assertThat(Kit.durationOf(results, "monitorInversionAmongVirtualThreads"))
        .isLessThan(Duration.ofSeconds(4));
    String monitor = "monitor JvmLocksTest\\$Account@[0-9a-f]+";
    String t = "thread 'transfer-[12]'";
    String step =
        " is blocked entering " + monitor + " \\(" + FILE + lineOf("ENTERS-SECOND") + "\\)";
    assertThat(Kit.onlyFailure(results))
        .isInstanceOf(DeadlockDetectedError.class)
        .message()
        .matches(
            "(?s)moire found a deadlock: "
                + t
                + step
                + ", held by "
                + t
                + " since "
                + FILE
                + lineOf("TAKES-FIRST")
                + ", which"
                + step
                + ", held by "
                + t
                + " since "
                + FILE
                + lineOf("TAKES-FIRST")
                + "\nmoire report: .*");
  }

  @Test
  void aLockRingAmongVirtualThreads_isACertainStallNamingEachLockAndLine() {
    EngineExecutionResults results = run("lockRingAmongVirtualThreads");
    assertThat(Kit.durationOf(results, "lockRingAmongVirtualThreads"))
        .isLessThan(Duration.ofSeconds(4));
    String wait =
        "'transfer-[12]' WAITING waiting on ReentrantLock@[0-9a-f]+ \\("
            + FILE
            + lineOf("LOCKS-SECOND")
            + "\\)";
    assertThat(Kit.onlyFailure(results))
        .isInstanceOf(DeadlockDetectedError.class)
        .message()
        .startsWith("moire found a stall: every thread of the test is blocked")
        .containsPattern(wait + ".*" + wait)
        .doesNotContain("not certain");
  }

  @Test
  void waitingForASleepingVirtualThread_passes() {
    EngineExecutionResults results = run("waitsForAVirtualThreadThatSleeps");
    assertThat(results.testEvents().failed().count()).isZero();
    assertThat(results.testEvents().succeeded().count()).isEqualTo(1);
  }

  @Test
  void aLockRingBesideATickingVirtualThread_isNoVerdict_theTimeoutEndsIt() {
    Throwable failure = Kit.onlyFailure(run("lockRingBesideAVirtualThreadThatTicks"));
    assertThat(failure).isInstanceOf(TimeoutException.class);
  }

  /** A line of {@link JvmLocksTest}, whose code these virtual threads run. */
  private static int lineOf(String marker) {
    return JvmLocksTest.lineOf(marker);
  }
}
