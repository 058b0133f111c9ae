/* The floor of scripts/bench's "overhead over the server's answer": a C program that sends one
   GetUser request to the endpoint in AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER
   (http://127.0.0.1:PORT/) and copies the answer to standard output. Measured through the same
   counting proxy, in turns with cognito-account, what it shows is the cost of starting any
   process from Python and of the proxy itself, which no client can go below. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void) {
  const char *url = getenv("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER");
  const char *colon = url ? strrchr(url, ':') : NULL;
  if (!colon) return 2;
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons(atoi(colon + 1))};
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0 || connect(s, (struct sockaddr *)&address, sizeof address) != 0) return 1;
  const char *body = "{\"AccessToken\":\"x\"}";
  char request[512];
  int n = snprintf(request, sizeof request,
                   "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   "Content-Type: application/x-amz-json-1.1\r\n"
                   "X-Amz-Target: AWSCognitoIdentityProviderService.GetUser\r\n"
                   "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                   strlen(body), body);
  if (write(s, request, n) != n) return 1;
  char buffer[65536];
  ssize_t got;
  while ((got = read(s, buffer, sizeof buffer)) > 0) fwrite(buffer, 1, got, stdout);
  return 0;
}
