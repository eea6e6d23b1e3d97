package com.example.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs the known-bad stories and checks that moire failed them quickly, with its message. */
class KnownBadStoriesTest {
  @Test
  @Timeout(60)
  void aJoinNobodyCompletes_failsWithinSeconds_andTheNextTestRuns() {
    Instant start = Instant.now();
    EngineExecutionResults results =
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(StuckJoinStory.class)).execute();
    Duration took = Duration.between(start, Instant.now());
    assertEquals(1, results.testEvents().failed().count());
    assertEquals(1, results.testEvents().succeeded().count());
    String message = failureMessage(results);
    if (System.getProperty("moire.agent") != null) {
      // With the agent (this pom's argLine) the plain future is tracked: the stall names it, where
      // the test waits for it and where it was made.
      assertTrue(
          message.startsWith("moire found a stall: every thread of the test is blocked"), message);
      assertTrue(
          message.contains(
              "WAITING waiting on future 'StuckJoinStory.REPLY' (StuckJoinStory.java:21), created"
                  + " at StuckJoinStory.java:15"),
          message);
    } else {
      assertTrue(
          message.startsWith("moire found a stall: every thread of the test is blocked"), message);
      assertTrue(message.contains("were left behind"), message);
      assertTrue(message.contains("StuckJoinStory.waitsForAReplyNobodySends"), message);
    }
    assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "took " + took);
  }

  @Test
  @Timeout(60)
  void aPlainSynchronizedDeadlock_isNamedWithItsMonitorsThreadsAndLines() {
    Instant start = Instant.now();
    EngineExecutionResults results =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(LedgerDeadlockStory.class))
            .execute();
    Duration took = Duration.between(start, Instant.now());
    assertEquals(1, results.testEvents().failed().count());
    String message = failureMessage(results);
    assertTrue(message.startsWith("moire found a deadlock: thread 'transfer-"), message);
    assertTrue(
        message.matches(
            "(?s).*is blocked entering monitor LedgerDeadlockStory\\$Account@[0-9a-f]+"
                + " \\(LedgerDeadlockStory\\.java:23\\), held by thread 'transfer-[12]'"
                + " since LedgerDeadlockStory\\.java:16.*"),
        message);
    assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "took " + took);
  }

  @Test
  @Timeout(60)
  void aPlainSemaphore_isSeenThroughTheAgent_withItsHoldersAndLines() {
    assertTrue(System.getProperty("moire.agent") != null, "the agent is attached (argLine)");
    EngineExecutionResults results =
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(BulkyOrdersStory.class)).execute();
    assertEquals(1, results.testEvents().failed().count());
    String message = failureMessage(results);
    assertTrue(
        message.startsWith(
            "moire found a deadlock: thread 'bulky-1' waits on semaphore 'Pickers.free'"
                + " (Pickers.java:22), held by thread 'bulky-1' and thread 'bulky-2'"),
        message);
  }

  @Test
  @Timeout(60)
  void aLostWakeUp_saysWhereTheMonitorWasNotified_andWhereTheThreadStarted() {
    assertTrue(System.getProperty("moire.agent") != null, "the agent is attached (argLine)");
    EngineExecutionResults results =
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(LostLabelStory.class)).execute();
    assertEquals(1, results.testEvents().failed().count());
    String message = failureMessage(results);
    assertTrue(
        message.startsWith(
            "moire found a stall: every thread of the test is blocked and nothing has moved"),
        message);
    assertTrue(
        message.contains(
            "'main' WAITING waiting for thread 'packer', started at LostLabelStory.java:27, to end"
                + " (LostLabelStory.java:28)"),
        message);
    assertTrue(
        message.matches(
            "(?s).*'packer' WAITING outside moire on java\\.lang\\.Object@[0-9a-f]+ in Object\\.wait"
                + " \\(LabelPrinter\\.java:24\\), notified at LabelPrinter\\.java:17 by thread"
                + " 'printer'.*"),
        message);
  }

  /** The message of the first failed test of a test-kit run. */
  private static String failureMessage(EngineExecutionResults results) {
    return results.testEvents().failed().list().get(0)
        .getPayload(TestExecutionResult.class)
        .flatMap(TestExecutionResult::getThrowable)
        .orElseThrow()
        .getMessage();
  }
}
