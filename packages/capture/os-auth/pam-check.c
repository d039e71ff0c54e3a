/*
 * beckon-pam-check: asks the operating system (PAM) whether a user name and a
 * password are right, for the host's unattended-access questions.
 *
 * Why a separate program and not an addon: the password must not live in the
 * Node heap longer than needed, PAM modules may fork, sleep (the failure
 * delay) or crash, and none of that should touch the host engine. The
 * password comes on stdin, never in argv (other users can read argv).
 *
 * Input on stdin: "<user>\0<password>\0". Arguments: --service NAME (PAM
 * service; without /etc/pam.d/NAME, PAM uses "other") and --require-admin
 * (the account must be in the sudo, wheel or admin group).
 * Exit status: 0 right, 10 wrong user name or password, 11 right but not an
 * administrator, 12 right but the account may not log in now (expired,
 * locked), 2 bad usage or input, 3 PAM itself failed.
 */
#include <grp.h>
#include <pwd.h>
#include <security/pam_appl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FIELD 1024

static char password[MAX_FIELD + 1];

/* Answers every hidden prompt with the password and every visible one with nothing. */
static int conversation(int n, const struct pam_message **msg, struct pam_response **resp, void *data) {
  (void)data;
  if (n <= 0 || n > PAM_MAX_NUM_MSG) return PAM_CONV_ERR;
  struct pam_response *r = calloc((size_t)n, sizeof *r);
  if (!r) return PAM_BUF_ERR;
  for (int i = 0; i < n; i++) {
    if (msg[i]->msg_style == PAM_PROMPT_ECHO_OFF) {
      r[i].resp = strdup(password);
      if (!r[i].resp) {
        for (int j = 0; j < i; j++) free(r[j].resp);
        free(r);
        return PAM_BUF_ERR;
      }
    }
  }
  *resp = r;
  return PAM_SUCCESS;
}

/* Reads one NUL-terminated field of at most MAX_FIELD bytes; 0 on success. */
static int read_field(char *out) {
  size_t len = 0;
  for (;;) {
    int c = getchar();
    if (c == EOF) return -1;
    if (c == 0) break;
    if (len == MAX_FIELD) return -1;
    out[len++] = (char)c;
  }
  out[len] = 0;
  return len == 0 ? -1 : 0;
}

static int in_group(const char *user, gid_t primary, const char *group) {
  struct group *g = getgrnam(group);
  if (!g) return 0;
  if (g->gr_gid == primary) return 1;
  for (char **m = g->gr_mem; m && *m; m++)
    if (strcmp(*m, user) == 0) return 1;
  return 0;
}

int main(int argc, char **argv) {
  const char *service = "beckon";
  int require_admin = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--service") == 0 && i + 1 < argc) service = argv[++i];
    else if (strcmp(argv[i], "--require-admin") == 0) require_admin = 1;
    else {
      fprintf(stderr, "usage: beckon-pam-check [--service NAME] [--require-admin] < user\\0password\\0\n");
      return 2;
    }
  }
  char user[MAX_FIELD + 1];
  if (read_field(user) != 0 || read_field(password) != 0) return 2;

  struct pam_conv conv = {conversation, NULL};
  pam_handle_t *pamh = NULL;
  if (pam_start(service, user, &conv, &pamh) != PAM_SUCCESS) return 3;
  int rc = pam_authenticate(pamh, PAM_DISALLOW_NULL_AUTHTOK);
  int status;
  if (rc == PAM_SUCCESS) {
    status = pam_acct_mgmt(pamh, PAM_DISALLOW_NULL_AUTHTOK) == PAM_SUCCESS ? 0 : 12;
  } else if (rc == PAM_AUTH_ERR || rc == PAM_USER_UNKNOWN || rc == PAM_MAXTRIES || rc == PAM_CRED_INSUFFICIENT) {
    status = 10;
  } else {
    status = 3;
  }
  pam_end(pamh, rc);
  explicit_bzero(password, sizeof password);
  if (status == 0 && require_admin) {
    struct passwd *pw = getpwnam(user);
    if (!pw) return 10;
    int admin = pw->pw_uid == 0 || in_group(user, pw->pw_gid, "sudo") || in_group(user, pw->pw_gid, "wheel") ||
                in_group(user, pw->pw_gid, "admin");
    if (!admin) return 11;
  }
  return status;
}
