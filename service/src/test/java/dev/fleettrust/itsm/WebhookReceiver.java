package dev.fleettrust.itsm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver on loopback (JDK HttpServer) that misbehaves on request: it answers each
 * request by the next step of its plan (fail with a status, take the message and then time out,
 * take it and close the connection mid-body) and takes the message once the plan is used up. It
 * deduplicates by {@code webhook-id}, the way a real receiver must.
 */
final class WebhookReceiver implements AutoCloseable {
  /** What the receiver does with one request. */
  enum Step {
    /** Takes the message, answers 204. */
    TAKE,
    /** Answers 500 without taking it. */
    FAIL_500,
    /** Answers 400: the request as such is refused (a permanent failure). */
    REFUSE_400,
    /** Takes the message, then answers only after the sender gave up. */
    TAKE_THEN_TIME_OUT,
    /** Takes the message, then closes the connection in the middle of the response body. */
    TAKE_THEN_CLOSE_MID_BODY
  }

  /** One request as it arrived. */
  record Request(String id, String timestamp, String signature, String contentType, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  final String secret;
  private final byte[] key;
  private final long timeOutMillis;
  private final int port;
  private final Deque<Step> plan = new ArrayDeque<>();
  private final List<Request> requests = new ArrayList<>();
  private final Map<String, Request> taken = new LinkedHashMap<>();
  private HttpServer server;

  WebhookReceiver(long timeOutMillis) {
    this.key = new byte[32];
    new SecureRandom().nextBytes(key);
    this.secret = "whsec_" + Base64.getEncoder().encodeToString(key);
    this.timeOutMillis = timeOutMillis;
    start(0);
    this.port = server.getAddress().getPort();
  }

  String url() {
    return "http://127.0.0.1:" + port + "/hooks/itsm";
  }

  private void start(int onPort) {
    try {
      server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot listen on loopback", e);
    }
    server.createContext("/hooks/itsm", this::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  /** Down: the port refuses connections until {@link #up}. */
  synchronized void down() {
    server.stop(0);
  }

  synchronized void up() {
    start(port);
  }

  synchronized void plan(Step... steps) {
    plan.addAll(List.of(steps));
  }

  synchronized void reset() {
    plan.clear();
    requests.clear();
    taken.clear();
  }

  /** Every request that arrived, repeats included, in arrival order. */
  synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The messages taken, once per {@code webhook-id}, in the order first taken. */
  synchronized List<Request> taken() {
    return List.copyOf(taken.values());
  }

  /**
   * The Standard Webhooks check, written from the specification: {@code webhook-signature} holds
   * space-separated {@code v1,<base64>} entries, one of which must be the HMAC-SHA256, keyed with
   * the secret's base64 part, of {@code <webhook-id>.<webhook-timestamp>.<body>}; the timestamp
   * must be within five minutes of now.
   */
  boolean verifies(Request request, byte[] body) {
    long timestamp = Long.parseLong(request.timestamp());
    if (Math.abs(System.currentTimeMillis() / 1000 - timestamp) > 300) {
      return false;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] expected =
          mac.doFinal(
              (request.id()
                      + "."
                      + request.timestamp()
                      + "."
                      + new String(body, StandardCharsets.UTF_8))
                  .getBytes(StandardCharsets.UTF_8));
      for (String entry : request.signature().split(" ")) {
        if (entry.startsWith("v1,")
            && java.security.MessageDigest.isEqual(
                expected, Base64.getDecoder().decode(entry.substring(3)))) {
          return true;
        }
      }
      return false;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    Request request =
        new Request(
            exchange.getRequestHeaders().getFirst("webhook-id"),
            exchange.getRequestHeaders().getFirst("webhook-timestamp"),
            exchange.getRequestHeaders().getFirst("webhook-signature"),
            exchange.getRequestHeaders().getFirst("Content-Type"),
            body);
    Step step;
    synchronized (this) {
      requests.add(request);
      step = plan.isEmpty() ? Step.TAKE : plan.poll();
      if (step == Step.TAKE
          || step == Step.TAKE_THEN_TIME_OUT
          || step == Step.TAKE_THEN_CLOSE_MID_BODY) {
        taken.putIfAbsent(request.id(), request);
      }
    }
    switch (step) {
      case TAKE -> exchange.sendResponseHeaders(204, -1);
      case FAIL_500 -> exchange.sendResponseHeaders(500, -1);
      case REFUSE_400 -> exchange.sendResponseHeaders(400, -1);
      case TAKE_THEN_TIME_OUT -> {
        try {
          Thread.sleep(timeOutMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        exchange.sendResponseHeaders(204, -1);
      }
      case TAKE_THEN_CLOSE_MID_BODY -> {
        exchange.sendResponseHeaders(200, 1000);
        OutputStream out = exchange.getResponseBody();
        out.write("{\"ok\"".getBytes(StandardCharsets.UTF_8));
        out.flush();
        // Fewer bytes than announced: closing fails and the server drops the connection.
        exchange.close();
        return;
      }
    }
    exchange.close();
  }

  @Override
  public synchronized void close() {
    server.stop(0);
  }
}
