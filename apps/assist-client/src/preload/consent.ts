import { exposeWindowApi } from './expose.ts';

exposeWindowApi('consent');
