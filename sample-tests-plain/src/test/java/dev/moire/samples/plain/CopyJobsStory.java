package dev.moire.samples.plain;

import dev.moire.junit.MoireTracked;
import dev.moire.model.findings.FindingKind;
import dev.moire.samples.bad.KnownBad;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Semaphore pool starvation, in plain JDK code ({@link CopyJobs}). */
@KnownBad(
    finding = FindingKind.DEADLOCK_CYCLE,
    story =
        "two copy jobs each take one of two pooled connections (a plain Semaphore), then wait for"
            + " a second")
@MoireTracked
@Timeout(5)
final class CopyJobsStory {
  @Test
  void copyTwoTablesAtOnce() throws Exception {
    CopyJobs jobs = new CopyJobs(2);
    CountDownLatch bothHaveOne = new CountDownLatch(2);
    Runnable between =
        () -> {
          bothHaveOne.countDown();
          try {
            bothHaveOne.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    Runnable job =
        () -> {
          try {
            jobs.copy(between);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    Thread a = new Thread(job, "copy-job-a");
    Thread b = new Thread(job, "copy-job-b");
    a.start();
    b.start();
    a.join();
    b.join();
  }
}
