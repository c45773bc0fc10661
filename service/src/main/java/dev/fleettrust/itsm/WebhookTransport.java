package dev.fleettrust.itsm;

import freemarker.template.Template;
import freemarker.template.TemplateException;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * POSTs each message to one webhook, signed per Standard Webhooks ({@code webhook-id} is the
 * message ID, so a receiver drops a repeat by it). The body is the CloudEvent, or what the
 * webhook's template renders from it. 2xx is delivered; 408, 429, 5xx, timeouts and broken
 * connections are retried; any other answer is permanent (the request itself is wrong there).
 */
final class WebhookTransport implements Transport {
  private static final String CLOUDEVENT = "application/cloudevents+json";

  private final WebhookSettings settings;
  private final Optional<Template> template;
  private final JsonMapper json;
  private final Duration timeout;
  private final Clock clock;
  private final ExecutorService executor;
  private final HttpClient client;

  WebhookTransport(WebhookSettings settings, JsonMapper json, Duration timeout, Clock clock) {
    this.settings = settings;
    this.template = Optional.ofNullable(settings.template()).map(PayloadTemplates::load);
    this.json = json;
    this.timeout = timeout;
    this.clock = clock;
    this.executor = Executors.newCachedThreadPool(r -> daemon(r, "itsm-" + settings.target()));
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .build();
  }

  @Override
  public String name() {
    return settings.target();
  }

  @Override
  public List<Outcome> send(List<Due> messages) {
    List<CompletableFuture<Outcome>> pending = new ArrayList<>(messages.size());
    for (Due message : messages) {
      pending.add(send(message));
    }
    return pending.stream().map(CompletableFuture::join).toList();
  }

  private CompletableFuture<Outcome> send(Due message) {
    byte[] body;
    String contentType;
    try {
      body = body(message).getBytes(StandardCharsets.UTF_8);
      contentType = template.isPresent() ? settings.contentType() : CLOUDEVENT;
    } catch (TemplateException | IOException | RuntimeException e) {
      return CompletableFuture.completedFuture(
          new Outcome.Failed(true, "the payload template failed: " + e.getMessage()));
    }
    long timestamp = clock.instant().getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(settings.url())
            .timeout(timeout)
            .header("Content-Type", contentType)
            .header("webhook-id", message.messageId())
            .header("webhook-timestamp", Long.toString(timestamp))
            .header(
                "webhook-signature",
                WebhookSignature.sign(settings.key(), message.messageId(), timestamp, body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .handle(
            (response, failure) -> {
              if (failure != null) {
                Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                return new Outcome.Failed(
                    false, cause.getClass().getSimpleName() + ": " + cause.getMessage());
              }
              return outcome(response.statusCode());
            });
  }

  private static Outcome outcome(int status) {
    if (status >= 200 && status < 300) {
      return new Outcome.Sent();
    }
    boolean transientFailure = status == 408 || status == 429 || status >= 500;
    return new Outcome.Failed(!transientFailure, "the receiver answered " + status);
  }

  private String body(Due message) throws TemplateException, IOException {
    if (template.isEmpty()) {
      return message.event();
    }
    Map<String, Object> event =
        json.readValue(message.event(), Argument.mapOf(String.class, Object.class));
    return PayloadTemplates.render(template.get(), event, settings.values());
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }
}
