import './components/app-shell.ts';
