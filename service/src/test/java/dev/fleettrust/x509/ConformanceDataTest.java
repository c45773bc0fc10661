package dev.fleettrust.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConformanceDataTest {
  @TempDir Path emptyClone;

  @Test
  void aMissingSuiteFileFailsWithOneLineNamingTheFileAndWhereTheSuiteIsPublished() {
    Throwable t =
        catchThrowable(
            () ->
                ConformanceData.require(
                    emptyClone, "pkits", "pkits.json", ConformanceData.PKITS_SOURCE));

    assertThat(t).isInstanceOf(ConformanceData.Missing.class);
    assertThat(t.getMessage())
        .doesNotContain("\\n")
        .contains(emptyClone.resolve("pkits/pkits.json").toString())
        .contains("NIST PKITS")
        .contains(ConformanceData.ENV);
    assertThat(t.getStackTrace()).isEmpty();
    assertThat(
            catchThrowable(
                () ->
                    ConformanceData.require(
                        emptyClone, "x509-limbo", "limbo.json.gz", ConformanceData.LIMBO_SOURCE)))
        .hasMessageContaining("https://github.com/C2SP/x509-limbo");
  }
}
