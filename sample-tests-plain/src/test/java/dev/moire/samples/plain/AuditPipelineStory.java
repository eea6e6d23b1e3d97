package dev.moire.samples.plain;

import dev.moire.junit.MoireTracked;
import dev.moire.model.findings.FindingKind;
import dev.moire.samples.bad.KnownBad;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A full bounded queue whose consumer waits on the producer's lock ({@link AuditPipeline}). */
@KnownBad(
    finding = FindingKind.DEADLOCK_CYCLE,
    story =
        "a recorder fills a plain ArrayBlockingQueue while it holds the ledger's ReentrantLock,"
            + " which the auditor draining the queue needs")
@MoireTracked
@Timeout(5)
final class AuditPipelineStory {
  @Test
  void recordAndAudit() throws Exception {
    AuditPipeline pipeline = new AuditPipeline();
    Thread auditor =
        new Thread(
            () -> {
              try {
                pipeline.audit(3);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "auditor");
    auditor.start();
    pipeline.record(List.of("debit 10", "credit 10", "fee 1"));
    auditor.join();
  }
}
