/* commands.h - the run functions of the `:` commands (commands.c), named once here so the
 * command table (cmdtab.c) and their definitions cannot disagree. Each takes the words of
 * the command line, argv[0] being the command's name, and returns 0 or -1 (the status
 * line says why). */
#ifndef MO_UI_COMMANDS_H
#define MO_UI_COMMANDS_H

struct app;

int cmd_help(struct app *app, int argc, char **argv);
int cmd_quit(struct app *app, int argc, char **argv);
int cmd_view(struct app *app, int argc, char **argv);
int cmd_open(struct app *app, int argc, char **argv);
int cmd_health(struct app *app, int argc, char **argv);
int cmd_customer(struct app *app, int argc, char **argv);
int cmd_migration(struct app *app, int argc, char **argv);
int cmd_sort(struct app *app, int argc, char **argv);
int cmd_filter(struct app *app, int argc, char **argv);
int cmd_requeue(struct app *app, int argc, char **argv);
int cmd_ack(struct app *app, int argc, char **argv);
int cmd_theme(struct app *app, int argc, char **argv);
int cmd_refresh(struct app *app, int argc, char **argv);

#endif
