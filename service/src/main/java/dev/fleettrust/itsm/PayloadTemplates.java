package dev.fleettrust.itsm;

import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Webhook payload templates (FreeMarker): what a customer's ServiceNow or Jira expects is
 * configuration, not code. A template sees {@code event} (the CloudEvent, {@code event.data} its
 * data) and {@code values} (the webhook's configured values); it escapes strings with {@code
 * ?json_string}. Numbers print as computers read them (1500, not 1,500).
 */
final class PayloadTemplates {
  private static final Configuration CONFIGURATION = configuration();

  private PayloadTemplates() {}

  /** Reads {@code classpath:<resource>} or {@code file:<path>}; fails at startup if absent. */
  static Template load(String location) {
    String text;
    try {
      if (location.startsWith("classpath:")) {
        String resource = location.substring("classpath:".length());
        try (InputStream in =
            PayloadTemplates.class.getClassLoader().getResourceAsStream(resource)) {
          if (in == null) {
            throw new IllegalArgumentException("No payload template on the classpath: " + location);
          }
          text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      } else if (location.startsWith("file:")) {
        text = Files.readString(Path.of(location.substring("file:".length())));
      } else {
        throw new IllegalArgumentException(
            "A payload template is classpath:<resource> or file:<path>; got " + location);
      }
      return new Template(location, text, CONFIGURATION);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the payload template " + location, e);
    }
  }

  /** The body for one message; a template that fails on it is a {@link TemplateException}. */
  static String render(Template template, Map<String, Object> event, Map<String, String> values)
      throws TemplateException {
    StringWriter out = new StringWriter();
    try {
      template.process(Map.of("event", event, "values", values), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static Configuration configuration() {
    Configuration configuration = new Configuration(Configuration.VERSION_2_3_34);
    configuration.setDefaultEncoding("UTF-8");
    configuration.setNumberFormat("computer");
    configuration.setBooleanFormat("c");
    configuration.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    configuration.setLogTemplateExceptions(false);
    configuration.setWrapUncheckedExceptions(true);
    configuration.setAPIBuiltinEnabled(false);
    configuration.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
    return configuration;
  }
}
