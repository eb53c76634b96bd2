// Package clocale keeps Fyne from logging "Fyne error: Error parsing user
// locale C" at every start under a C locale with a codeset (LANG=C.UTF-8,
// the default of containers and many servers). Import it for its effect
// from package main only.
//
// Fyne's lang package reads the locale in its package init, before main and
// before any of our packages can run (packages initialise in import-path
// order, and "fyne.io/…" sorts before "titledesk/…"). Its locale library
// treats "C" and "POSIX" as no locale but hands "C.UTF-8" on as the
// language "C", which fails to parse. On Linux a C constructor, which runs
// before the Go runtime reads the environment, sees that case and starts
// the program again with LANGUAGE=C added: the locale library then reports
// no locale, as for LANG=C, and gettext in the programs we start (the PDF
// viewer) gives untranslated messages for LANGUAGE=C exactly as for a C
// locale. LANG, LC_ALL and LC_MESSAGES stay as they were. Elsewhere (and
// without cgo) the package does nothing: Windows and macOS locales are not
// read from the environment.
package clocale
