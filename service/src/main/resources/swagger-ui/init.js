// "Authorize" takes the output of deploy/local/token.sh ROLE (without "Bearer ").
window.ui = SwaggerUIBundle({
  url: "/api-spec/openapi.yaml",
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: "StandaloneLayout"
});
