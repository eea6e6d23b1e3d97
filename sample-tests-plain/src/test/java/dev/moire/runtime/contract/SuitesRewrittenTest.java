package dev.moire.runtime.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * In the suites-with-agent execution: the suites run from moire-runtime's test jar really are
 * rewritten (the agent's packages option takes them in), so their plain JDK types are drop-ins. In
 * this package to reach the contract suites' package-private helper.
 */
@Timeout(30)
class SuitesRewrittenTest {
  @Test
  void aContractSuiteHelper_fromTheTestJar_makesDropIns() throws Exception {
    try (Holder holder = new Holder(new ReentrantLock())) {
      Field release = Holder.class.getDeclaredField("release");
      release.setAccessible(true);
      assertThat(release.get(holder).getClass().getName())
          .isEqualTo("dev.moire.runtime.sync.TrackedCountDownLatch");
    }
  }
}
