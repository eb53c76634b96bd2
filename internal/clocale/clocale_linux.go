//go:build linux && cgo

package clocale

/*
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// cWithSuffix: v is the C or POSIX locale with a codeset or modifier
// ("C.UTF-8", "POSIX@x"); plain "C" and "POSIX" are understood already.
static int cWithSuffix(const char *v) {
	size_t n;
	if (strncmp(v, "POSIX", 5) == 0) {
		n = 5;
	} else if (v[0] == 'C') {
		n = 1;
	} else {
		return 0;
	}
	return v[n] == '.' || v[n] == '@';
}

// messagesLocale is the variable gettext (and Go's locale library) takes
// the message language from: the first non-empty of these.
static const char *messagesLocale(void) {
	static const char *names[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	for (int i = 0; i < 3; i++) {
		const char *v = getenv(names[i]);
		if (v != NULL && v[0] != '\0') {
			return v;
		}
	}
	return NULL;
}

// glibc passes main's arguments to constructors; the Go runtime has not
// started yet and reads the environment only after this.
__attribute__((constructor)) static void titledeskCLocale(int argc, char **argv, char **envp) {
	(void)envp;
	const char *v = messagesLocale();
	const char *language = getenv("LANGUAGE");
	if (argc < 1 || argv == NULL || v == NULL || !cWithSuffix(v) || (language != NULL && language[0] != '\0')) {
		return;
	}
	if (setenv("LANGUAGE", "C", 1) != 0) {
		return;
	}
	execv("/proc/self/exe", argv);
	// exec failed: run on with LANGUAGE=C in libc's copy only; Fyne
	// then logs its harmless complaint.
	unsetenv("LANGUAGE");
}
*/
import "C"
