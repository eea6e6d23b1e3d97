package dev.moire.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moire.model.EventBody;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What the page says about an event, counted runs included (issue 18). */
final class EventTextTest {
  @Test
  void aRunOfSends_saysHowManyAndOverHowLong() {
    assertThat(ReportData.eventText(EventBody.ChannelSent.run(1204, 3_400_000)))
        .isEqualTo("sent ×1,204 over 3 ms");
    assertThat(ReportData.eventText(EventBody.ChannelReceived.run(2, 750)))
        .isEqualTo("received ×2 over < 1 µs");
    assertThat(ReportData.eventText(EventBody.ChannelReceived.run(90, 2_500_000_000L)))
        .isEqualTo("received ×90 over 2.5 s");
  }

  @Test
  void aSingleOperation_saysWhetherItWaitedOrFoundTheChannelClosed() {
    assertThat(ReportData.eventText(new EventBody.ChannelSent(OptionalLong.of(15_000), false)))
        .isEqualTo("sent after waiting 15 µs");
    assertThat(ReportData.eventText(new EventBody.ChannelReceived(OptionalLong.empty(), true)))
        .isEqualTo("received (closed)");
    assertThat(ReportData.eventText(new EventBody.ChannelSent(OptionalLong.empty(), false)))
        .isEqualTo("sent");
  }
}
