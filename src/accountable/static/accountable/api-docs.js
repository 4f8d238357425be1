// Starts Swagger UI on /api/docs from the settings the page carries as a JSON data
// block (no inline script, so the site's content security policy holds). Signed in,
// "Try it out" sends the session's CSRF token with each request.
(function () {
  const body = document.body.dataset;
  const config = JSON.parse(document.getElementById("swagger-settings").textContent);
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
  if (body.apiCsrf && body.csrfToken) {
    config.requestInterceptor = function (request) {
      request.headers["X-CSRFToken"] = body.csrfToken;
      return request;
    };
  }
  SwaggerUIBundle(config);
})();
