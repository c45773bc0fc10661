package dev.fleettrust.x509;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.x509.HostnameMatcher.Match;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostnameMatcherTest {
  static final Certificate ROOT = TestPki.root("Matcher Root").cert();

  static CertificateFacts withSan(String kind, String value) {
    TestPki.Builder b =
        TestPki.cert("CN=subject")
            .issuer(
                new TestPki.Issued(
                    ROOT,
                    TestPki.rsa("Matcher Root"),
                    new org.bouncycastle.asn1.x500.X500Name("CN=Matcher Root,O=FleetTrust Test")));
    b = kind.equals("IP") ? b.ip(value) : b.dns(value);
    return b.build().cert().facts();
  }

  @ParameterizedTest(name = "{0} {1} vs {2} -> {3}")
  @CsvSource({
    "DNS, sip.example.net, sip.example.net, EXACT",
    "DNS, sip.example.net, SIP.Example.NET., EXACT",
    "DNS, SIP.EXAMPLE.NET, sip.example.net, EXACT",
    "DNS, *.example.net, sip.example.net, WILDCARD_ONLY",
    "DNS, *.example.net, a.sip.example.net, NONE",
    "DNS, *.example.net, example.net, NONE",
    "DNS, *.net, example.net, NONE",
    "DNS, *, example, NONE",
    "DNS, s*.example.net, sip.example.net, NONE",
    "DNS, sip.*.net, sip.example.net, NONE",
    "DNS, xn--*.example.net, xn--bcher-kva.example.net, NONE",
    "DNS, xn--bcher-kva.example.net, bücher.example.net, EXACT",
    "DNS, *.example.net, bücher.example.net, WILDCARD_ONLY",
    "DNS, foo_bar.example.net, foo_bar.example.net, NONE",
    "DNS, 10.1.2.3, 10.1.2.3, NONE",
    "IP, 10.1.2.3, 10.1.2.3, EXACT",
    "IP, 10.1.2.3, 10.1.2.4, NONE",
    "IP, 2001:db8::1, 2001:DB8:0:0:0:0:0:1, EXACT",
    "IP, 2001:db8::1, [2001:db8::1], EXACT",
    "IP, 10.1.2.3, 010.1.2.3, NONE",
  })
  void matchesPerRfc6125(String kind, String san, String host, Match expected) {
    assertThat(HostnameMatcher.match(withSan(kind, san), host)).isEqualTo(expected);
  }
}
