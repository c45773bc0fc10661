package dev.fleettrust.x509;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleettrust.x509.TestPki.Issued;
import java.util.List;
import org.junit.jupiter.api.Test;

class BundleOrdererTest {
  static final Issued ROOT = TestPki.root("Orderer Root");
  static final Issued INT =
      TestPki.cert("CN=Orderer Issuing").ca(0).keys(TestPki.rsa("ord-int")).issuer(ROOT).build();
  static final Issued LEAF =
      TestPki.cert("CN=a.example.net").dns("a.example.net").issuer(INT).build();

  @Test
  void ordersAShuffledBundleLeafToRoot() {
    BundleOrder order =
        BundleOrderer.order(List.of(ROOT.cert(), LEAF.cert(), INT.cert(), ROOT.cert()));

    assertThat(order)
        .isEqualTo(new BundleOrder.Ordered(List.of(LEAF.cert(), INT.cert(), ROOT.cert())));
  }

  @Test
  void saysWhenABundleHoldsTwoLeaves() {
    Issued second =
        TestPki.cert("CN=b.example.net")
            .dns("b.example.net")
            .keys(TestPki.ec("b"))
            .issuer(INT)
            .build();

    BundleOrder order =
        BundleOrderer.order(List.of(LEAF.cert(), second.cert(), INT.cert(), ROOT.cert()));

    assertThat(order)
        .isInstanceOfSatisfying(
            BundleOrder.NotOneChain.class,
            n -> {
              assertThat(n.problem()).isEqualTo(BundleOrder.Problem.TWO_LEAVES);
              assertThat(n.involved()).containsExactlyInAnyOrder(LEAF.cert(), second.cert());
            });
  }

  @Test
  void saysWhenALinkIsMissing() {
    BundleOrder order = BundleOrderer.order(List.of(LEAF.cert(), ROOT.cert()));

    assertThat(order)
        .isInstanceOfSatisfying(
            BundleOrder.NotOneChain.class,
            n -> {
              assertThat(n.problem()).isEqualTo(BundleOrder.Problem.GAP);
              assertThat(n.message()).contains("CN=Orderer Issuing");
            });
  }

  @Test
  void saysWhenCertificatesIssueEachOtherInACircle() {
    Issued a0 = TestPki.cert("CN=Loop A").ca(null).keys(TestPki.rsa("loop-a")).selfSigned().build();
    Issued b = TestPki.cert("CN=Loop B").ca(null).keys(TestPki.rsa("loop-b")).issuer(a0).build();
    Issued a = TestPki.cert("CN=Loop A").ca(null).keys(TestPki.rsa("loop-a")).issuer(b).build();

    BundleOrder order = BundleOrderer.order(List.of(a.cert(), b.cert()));

    assertThat(order)
        .isInstanceOfSatisfying(
            BundleOrder.NotOneChain.class,
            n -> assertThat(n.problem()).isEqualTo(BundleOrder.Problem.LOOP));
  }

  @Test
  void saysWhenThereIsNothingToOrder() {
    assertThat(BundleOrderer.order(List.of()))
        .isInstanceOfSatisfying(
            BundleOrder.NotOneChain.class,
            n -> assertThat(n.problem()).isEqualTo(BundleOrder.Problem.EMPTY));
  }
}
