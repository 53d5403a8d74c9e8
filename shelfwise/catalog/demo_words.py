"""Hand-written word lists for the generated demo records (`catalog.generate`).

Everything here is invented for Shelfwise demo data: titles are ordinary
words and phrases in each language, names are common given and family
names, publishers are made up. The Library of Congress sample has almost no
Spanish or Arabic, so these lists are how the demo shows a multilingual
collection. A title missing from a language's line is simply not made in
that language: only what could be written correctly is here.

The tables are plain text, one entry per block, so they stay easy to read
and to extend (a translator only adds "code: title" pairs):

    dewey | audiences (008/22) | LCSH heading | heading …     (topics)
    audiences | CYAC heading | …                             (stories, series)
        English summary (520), may wrap
        eng: English title | spa: Título en español | …
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Language(NamedTuple):
    name: str  # English name: "Text in Spanish.", "Spanish language materials"
    given: tuple[str, ...]
    family: tuple[str, ...]
    # How a personal name is entered in 100/700: "inverted" (Family, Given),
    # "inverted_arabic" (Family، Given), "surname_spaced" (Vietnamese: Family, Given,
    # shown family first), "surname" (Chinese, Korean: FamilyGiven), "direct" (Somali).
    name_form: str
    by: str  # 245 $c for an author alone: {a}
    by_illustrated: str  # 245 $c for an author and an illustrator: {a}, {i}
    publishers: tuple[tuple[str, str, str], ...]  # (place, publisher, 008/15-17 country)


def _languages(table: str) -> dict[str, Language]:
    languages = {}
    for line in table.strip("\n").splitlines():
        if not line.startswith(" "):
            code, name, name_form = line.split(" | ")
            entry = languages[code] = {
                "name": name,
                "name_form": name_form,
                "given": [],
                "family": [],
                "publisher": [],
            }
            continue
        key, value = line.strip().split(": ", 1)
        if key in ("given", "family"):
            entry[key] += value.split(", ")
        elif key == "publisher":
            place, publisher, country = value.split(" ; ")
            entry["publisher"].append((place, publisher, country.ljust(3)))
        else:
            entry[key] = value
    return {
        code: Language(
            e["name"],
            tuple(e["given"]),
            tuple(e["family"]),
            e["name_form"],
            e["by"],
            e["by illustrated"],
            tuple(e["publisher"]),
        )
        for code, e in languages.items()
    }


# code | English name | name form, then the lists; publisher: place ; name ; 008/15-17 country
LANGUAGES = _languages("""
eng | English | inverted
    given: Maya, Sam, Olivia, Marcus, Priya, Ethan, Grace, Leo, Nina, Owen
    family: Bennett, Carter, Ellis, Foster, Hayes, Jordan, Morgan, Patel, Reyes, Walker, Brooks
    family: Okafor
    by: by {a}
    by illustrated: by {a} ; illustrated by {i}
    publisher: Chicago ; Maple Lantern Books ; ilu
    publisher: Seattle ; Tidepool Press ; wau
    publisher: New York ; Bright Owl Publishing ; nyu
spa | Spanish | inverted
    given: Sofía, Mateo, Valentina, Diego, Camila, Lucía, Javier, Isabel, Andrés, Carmen
    given: Gabriela, Tomás
    family: García, Rodríguez, Martínez, Hernández, López, González, Pérez, Sánchez, Ramírez
    family: Torres, Flores, Morales
    by: {a}
    by illustrated: {a} ; ilustraciones de {i}
    publisher: Ciudad de México ; Ediciones Tucán Azul ; mx
    publisher: Madrid ; Editorial Faro Pequeño ; sp
    publisher: Miami, Florida ; Libros Colibrí ; flu
ara | Arabic | inverted_arabic
    given: سارة, عمر, ليلى, يوسف, مريم, أحمد, نور, خالد, هدى, كريم, سلمى, رامي
    family: الحسيني, حداد, منصور, العلي, خوري, نصار, السيد, الخطيب, يونس, الشامي
    by: تأليف {a}
    by illustrated: تأليف {a} ; رسوم {i}
    publisher: بيروت ; دار القمر للأطفال ; le
    publisher: عمّان ; دار النخلة ; jo
vie | Vietnamese | surname_spaced
    given: Thị Lan, Văn Minh, Thu Hà, Quang Huy, Ngọc Anh, Đức Long, Minh Châu, Thanh Tùng
    family: Nguyễn, Trần, Lê, Phạm, Hoàng, Võ, Đặng, Bùi
    by: {a}
    by illustrated: Lời: {a} ; tranh: {i}
    publisher: Hà Nội ; Nhà xuất bản Cánh Diều Nhỏ ; vm
    publisher: Thành phố Hồ Chí Minh ; Sách Sao Mai ; vm
som | Somali | direct
    given: Xamdi, Cali, Faadumo, Maxamed, Hodan, Cabdi, Sahra, Yuusuf, Ifraax, Axmed
    family: Cabdullaahi, Maxamuud, Xasan, Warsame, Jaamac, Faarax, Aadan, Nuur
    by: waxaa qoray {a}
    by illustrated: waxaa qoray {a} ; sawirrada {i}
    publisher: Minneapolis, Minnesota ; Daabacaadda Hiddo ; mnu
    publisher: Muqdisho ; Xarunta Buugaagta Carruurta ; so
chi | Chinese | surname
    given: 小明, 晓燕, 伟, 静, 丽华, 建国, 雨桐, 子涵
    family: 王, 李, 张, 刘, 陈, 杨, 黄, 赵
    by: {a}著
    by illustrated: {a}文 ; {i}图
    publisher: 北京 ; 小树苗出版社 ; cc
    publisher: 上海 ; 彩虹桥童书 ; cc
hat | Haitian Creole | inverted
    given: Jean, Marie, Nadia, Widlyn, Stéphanie, Kervens, Fabienne, Wesley, Jacques, Roseline
    family: Pierre, Joseph, Jean-Baptiste, Charles, Louis, Étienne, Désir, Alexis, Dorvil
    by: {a}
    by illustrated: {a} ; ilistrasyon {i}
    publisher: Pòtoprens ; Edisyon Ti Zwazo ; ht
    publisher: Miami, Florida ; Kreyòl Kids Press ; flu
por | Portuguese | inverted
    given: Ana, Pedro, Beatriz, João, Mariana, Lucas, Helena, Rafael, Luísa, Gabriel
    family: Silva, Santos, Oliveira, Souza, Costa, Pereira, Almeida, Carvalho, Ferreira, Ribeiro
    by: {a}
    by illustrated: {a} ; ilustrações de {i}
    publisher: São Paulo ; Editora Bem-te-vi ; bl
    publisher: Lisboa ; Livros Lua Nova ; po
kor | Korean | surname
    given: 민지, 서준, 지우, 하은, 도윤, 수아, 예준, 지민
    family: 김, 이, 박, 최, 정, 강, 윤, 한
    by: {a} 지음
    by illustrated: {a} 글 ; {i} 그림
    publisher: 서울 ; 꿈나무출판사 ; ko
    publisher: 파주 ; 별빛어린이 ; ko
""")


class Topic(NamedTuple):
    """Non-fiction: Dewey number, LCSH heading(s), English summary, titles by language."""

    dewey: str
    audiences: str
    subjects: tuple[str, ...]
    summary: str
    titles: dict[str, str]


class Story(NamedTuple):
    """Fiction (and graphic-novel series): CYAC headings, English summary, titles."""

    audiences: str
    subjects: tuple[str, ...]
    summary: str
    titles: dict[str, str]


_TITLES = re.compile(r"^\s+[a-z]{3}: ")


def _blocks(table: str) -> list[tuple[list[str], str, dict[str, str]]]:
    blocks: list[tuple[list[str], str, dict[str, str]]] = []
    for line in table.strip("\n").splitlines():
        if not line.startswith(" "):
            blocks.append((line.split(" | "), "", {}))
        elif _TITLES.match(line):
            for pair in line.strip().split(" | "):
                code, title = pair.split(": ", 1)
                blocks[-1][2][code] = title
        else:
            head, summary, titles = blocks[-1]
            blocks[-1] = (head, f"{summary} {line.strip()}".strip(), titles)
    return blocks


def _topics(table: str) -> tuple[Topic, ...]:
    return tuple(Topic(h[0], h[1], tuple(h[2:]), s, t) for h, s, t in _blocks(table))


def _stories(table: str) -> tuple[Story, ...]:
    return tuple(Story(h[0], tuple(h[1:]), s, t) for h, s, t in _blocks(table))


# Headings use " -- " between subdivisions, as the LoC CSV does. "{lang}" is the
# language's English name. Dewey "4" and "8" are per language (FIRST_WORDS_DEWEY,
# POETRY_DEWEY).
TOPICS = _topics("""
004 | bcd | Computers
    Introduces computers: their parts, how they work and how people use them at home and at
    school.
    eng: Computers | spa: Las computadoras | ara: الحاسوب | vie: Máy tính | som: Kombiyuutarka
    chi: 电脑 | hat: Òdinatè | por: Os computadores | kor: 컴퓨터
031.02 | cd | Curiosities and wonders
    A collection of surprising facts about animals, space, the human body and the world.
    eng: Amazing facts | spa: Datos asombrosos | ara: حقائق مدهشة | vie: Những sự thật thú vị
    chi: 神奇的知识 | por: Fatos incríveis | kor: 놀라운 사실들
152.4 | abc | Emotions
    Helps young readers name their feelings and find healthy ways to express them.
    eng: Feelings | spa: Las emociones | ara: المشاعر | vie: Cảm xúc | som: Dareenka | chi: 情绪
    hat: Santiman | por: As emoções | kor: 감정
177.62 | bc | Friendship
    What makes a good friend, and how to make, keep and mend friendships.
    eng: Being a good friend | spa: La amistad | ara: الصداقة | vie: Tình bạn
    som: Saaxiibtinimo | chi: 友谊 | hat: Amitye | por: A amizade | kor: 우정
292.13 | cd | Mythology, Greek
    Retells the best-known myths of ancient Greece: gods, heroes and monsters.
    eng: Greek myths | spa: Mitos griegos | ara: الأساطير اليونانية | vie: Thần thoại Hy Lạp
    chi: 希腊神话 | por: Mitos gregos | kor: 그리스 신화
297.362 | bc | Ramadan
    Explains how families observe the month of Ramadan and celebrate Eid al-Fitr.
    eng: Ramadan | spa: El Ramadán | ara: رمضان | som: Ramadaan | por: O Ramadã
332.4 | bc | Money
    Where money comes from, how it is earned, saved and spent.
    eng: Money | spa: El dinero | ara: النقود | vie: Tiền | som: Lacagta | chi: 钱 | hat: Lajan
    por: O dinheiro | kor: 돈
363.7282 | bc | Recycling (Waste, etc.)
    Shows what happens to the things we throw away and how recycling helps the planet.
    eng: Recycling | spa: El reciclaje | ara: إعادة التدوير | vie: Tái chế | chi: 回收利用
    hat: Resiklaj | por: A reciclagem | kor: 재활용
394.261 | bc | Chinese New Year
    How families celebrate the Lunar New Year: food, lanterns, red envelopes and the animals of
    the zodiac.
    eng: Chinese New Year | spa: El Año Nuevo chino | chi: 春节
394.261 | bc | Tết
    How Vietnamese families celebrate Tết, the Lunar New Year.
    eng: Tet | vie: Tết Nguyên Đán
394.266 | bc | All Souls' Day -- Mexico
    Describes the Day of the Dead: altars, marigolds and the families who remember their loved
    ones.
    eng: Day of the Dead | spa: El Día de los Muertos | por: O Dia dos Mortos
394.25 | bc | Carnival -- Haiti
    Music, costumes and parades of Carnival in Haiti.
    eng: Carnival in Haiti | hat: Kanaval
398.2 | bc | Folklore -- Mexico
    Traditional tales from Mexico.
    eng: Folktales from Mexico | spa: Cuentos populares de México
398.2 | bc | Folklore -- Arab countries
    Traditional tales from the Arab world.
    ara: حكايات شعبية عربية
398.2 | bc | Folklore -- Vietnam
    Traditional tales from Vietnam.
    vie: Truyện cổ tích Việt Nam
398.2 | bc | Folklore -- Somalia
    Traditional tales from Somalia.
    som: Sheekooyin Soomaaliyeed
398.2 | bc | Folklore -- China
    Traditional tales from China.
    chi: 中国民间故事
398.2 | bc | Folklore -- Haiti
    Traditional tales from Haiti.
    hat: Kont ayisyen
398.2 | bc | Folklore -- Brazil
    Traditional tales from Brazil.
    por: Contos populares do Brasil
398.2 | bc | Folklore -- Korea
    Traditional tales from Korea.
    kor: 한국 전래 동화
4 | ab | {lang} language -- Vocabulary
    A first picture dictionary of everyday words: home, school, food, colors and animals.
    eng: My first words | spa: Mis primeras palabras | ara: كلماتي الأولى
    vie: Những từ đầu tiên của em | som: Ereyadayda ugu horreeya | chi: 我的第一本单词书
    hat: Premye mo mwen yo | por: Minhas primeiras palavras | kor: 나의 첫 낱말
513.211 | a | Counting
    A counting book from one to ten.
    eng: Let's count! | spa: ¡Vamos a contar! | ara: هيا نعد | vie: Cùng đếm nào!
    chi: 一起数一数 | hat: Ann konte! | por: Vamos contar! | kor: 하나, 둘, 셋!
520 | bcd | Outer space
    A tour of the solar system, the stars and the people who explore space.
    eng: Space | spa: El espacio | ara: الفضاء | vie: Vũ trụ | som: Hawada sare | chi: 太空
    hat: Lespas | por: O espaço | kor: 우주
551.21 | bcd | Volcanoes
    Explains how volcanoes form, why they erupt and how scientists study them.
    eng: Volcanoes | spa: Los volcanes | ara: البراكين | vie: Núi lửa | chi: 火山
    hat: Vòlkan yo | por: Os vulcões | kor: 화산
551.6 | bc | Weather
    Sun, rain, wind and snow: what makes the weather and how it is forecast.
    eng: Weather | spa: El clima | ara: الطقس | vie: Thời tiết | som: Cimilada | chi: 天气
    hat: Lapli ak solèy | por: O clima | kor: 날씨
567.9 | bc | Dinosaurs
    Meet the dinosaurs: how they lived, what they ate and how we know.
    eng: Dinosaurs | spa: Los dinosaurios | ara: الديناصورات | vie: Khủng long | chi: 恐龙
    hat: Dinozò yo | por: Os dinossauros | kor: 공룡
590 | abc | Animals
    Animals of land, sea and sky, and how they find food and shelter.
    eng: Animals | spa: Los animales | ara: الحيوانات | vie: Động vật | som: Xayawaanka
    chi: 动物 | hat: Zannimo yo | por: Os animais | kor: 동물
595.7 | bc | Insects
    A close look at ants, bees, beetles and butterflies.
    eng: Insects | spa: Los insectos | ara: الحشرات | vie: Côn trùng | som: Cayayaanka
    chi: 昆虫 | hat: Ensèk yo | por: Os insetos | kor: 곤충
580 | bc | Plants
    How plants grow from seeds and why every living thing needs them.
    eng: Plants | spa: Las plantas | ara: النباتات | vie: Thực vật | som: Dhirta | chi: 植物
    hat: Plant yo | por: As plantas | kor: 식물
612 | bcd | Human body
    How bones, muscles, the heart and the brain work together.
    eng: The human body | spa: El cuerpo humano | ara: جسم الإنسان | vie: Cơ thể người
    som: Jirka aadanaha | chi: 人体 | hat: Kò moun | por: O corpo humano | kor: 우리 몸
641.5 | bcd | Cooking
    Simple recipes young cooks can make with an adult.
    eng: Cooking with kids | spa: ¡A cocinar! | ara: هيا نطبخ | vie: Cùng vào bếp
    chi: 一起做饭 | hat: Ann fè manje | por: Vamos cozinhar! | kor: 함께 요리해요
636.7 | bc | Dogs
    Choosing, training and caring for a dog.
    eng: Dogs | spa: Los perros | ara: الكلاب | vie: Chó | som: Eeyaha | chi: 狗 | hat: Chen yo
    por: Os cães | kor: 개
629.133 | bc | Airplanes
    How airplanes fly, from the first flights to jumbo jets.
    eng: Airplanes | spa: Los aviones | ara: الطائرات | vie: Máy bay | som: Diyaaradaha
    chi: 飞机 | hat: Avyon yo | por: Os aviões | kor: 비행기
741.2 | cd | Drawing -- Technique
    Step-by-step lessons for drawing people, animals and places.
    eng: Learn to draw | spa: Aprende a dibujar | ara: تعلم الرسم | vie: Học vẽ | chi: 学画画
    hat: Aprann desinen | por: Aprenda a desenhar | kor: 그림 그리기
796.334 | bcd | Soccer
    Rules, skills and great players of the world's favorite game.
    eng: Soccer | spa: El fútbol | ara: كرة القدم | vie: Bóng đá | som: Kubadda cagta
    chi: 足球 | hat: Foutbòl | por: O futebol | kor: 축구
780 | bc | Music
    Instruments, rhythm and songs from around the world.
    eng: Music | spa: La música | ara: الموسيقى | vie: Âm nhạc | chi: 音乐 | hat: Mizik
    por: A música | kor: 음악
8 | bc | Children's poetry, {lang}
    Short poems about family, school, animals and the seasons.
    eng: Poems for every day | spa: Poemas para niños | ara: أشعار للأطفال | vie: Thơ thiếu nhi
    som: Gabayo carruureed | chi: 儿童诗歌 | hat: Powèm pou timoun | por: Poemas para crianças
    kor: 동시 모음
912 | bc | Maps
    How to read a map and a globe.
    eng: Maps and globes | spa: Los mapas | ara: الخرائط | vie: Bản đồ | som: Khariidadaha
    chi: 地图 | por: Os mapas | kor: 지도
972 | bcd | Mexico
    The land, history and people of Mexico.
    spa: México
932 | bcd | Egypt -- Civilization
    Pyramids, pharaohs and daily life in ancient Egypt.
    eng: Ancient Egypt | ara: مصر القديمة
959.7 | bcd | Vietnam
    The land, history and people of Vietnam.
    vie: Việt Nam
967.73 | bcd | Somalia
    The land, history and people of Somalia.
    som: Soomaaliya
951 | bcd | China
    The land, history and people of China.
    chi: 中国
972.94 | bcd | Haiti
    The land, history and people of Haiti.
    hat: Ayiti
981 | bcd | Brazil
    The land, history and people of Brazil.
    por: O Brasil
951.95 | bcd | Korea (South)
    The land, history and people of Korea.
    kor: 한국
""")

STORIES = _stories("""
ab | Cats -- Fiction | Flight -- Fiction
    A little cat dreams of flying and finds a way to see the world from above.
    eng: The cat who wanted to fly | spa: El gato que quería volar
    ara: القطة التي أرادت أن تطير | vie: Chú mèo muốn bay | som: Bisaddii doonaysay inay duusho
    chi: 想飞的小猫 | hat: Chat ki te vle vole | por: O gato que queria voar
    kor: 날고 싶은 고양이
bc | Ocean -- Fiction | Courage -- Fiction
    A girl who is afraid of the waves learns to swim with help from her grandfather.
    eng: The girl and the sea | spa: La niña y el mar | ara: الفتاة والبحر
    vie: Cô bé và biển cả | som: Gabadha iyo badda | chi: 女孩和大海 | hat: Ti fi a ak lanmè a
    por: A menina e o mar | kor: 소녀와 바다
ab | Grandmothers -- Fiction | Cooking -- Fiction
    A boy spends a day cooking family recipes with his grandmother.
    eng: My grandmother and me | spa: Mi abuela y yo | ara: جدتي وأنا | vie: Bà và em
    som: Ayeeyo iyo aniga | chi: 奶奶和我 | hat: Grann mwen ak mwen | por: Minha avó e eu
    kor: 할머니와 나
cd | Forests and forestry -- Fiction | Adventure and adventurers -- Fiction
    Three friends follow an old map into the woods and find a secret they must protect.
    eng: The secret of the forest | spa: El secreto del bosque | ara: سر الغابة
    vie: Bí mật của khu rừng | chi: 森林的秘密 | hat: Sekrè forè a | por: O segredo da floresta
    kor: 숲의 비밀
ab | Rain and rainfall -- Fiction | Play -- Fiction
    Two neighbors turn a rainy day into an adventure.
    eng: A rainy day | spa: Un día de lluvia | ara: يوم ممطر | vie: Một ngày mưa
    som: Maalin roob leh | chi: 下雨天 | hat: Yon jou lapli | por: Um dia de chuva
    kor: 비 오는 날
bcd | First day of school -- Fiction | Immigrants -- Fiction | Schools -- Fiction
    A newcomer finds her voice and new friends in her first weeks at a school in a new country.
    eng: The new school | spa: La escuela nueva | ara: المدرسة الجديدة | vie: Ngôi trường mới
    som: Iskuulka cusub | chi: 新学校 | hat: Nouvo lekòl la | por: A escola nova | kor: 새 학교
ab | Dragons -- Fiction | Bedtime -- Fiction
    A little dragon who loves to sleep has to stay awake for the most important night of the
    year.
    eng: The sleepy dragon | spa: El dragón dormilón | ara: التنين النعسان
    vie: Chú rồng ham ngủ | chi: 爱睡觉的小龙 | hat: Ti dragon ki renmen dòmi
    por: O dragão dorminhoco | kor: 잠꾸러기 용
ab | Moon -- Fiction | Brothers and sisters -- Fiction
    Two siblings try to catch the moon before bedtime.
    eng: Sam and the moon | spa: Mateo y la luna | ara: عمر والقمر | vie: Minh và mặt trăng
    som: Cali iyo dayaxa | chi: 小明和月亮 | hat: Jan ak lalin nan | por: Pedro e a lua
    kor: 민준이와 달
cd | Libraries -- Fiction | Mystery and detective stories
    When books start disappearing from the school library, a group of students sets out to solve
    the mystery.
    eng: The mystery of the library | spa: El misterio de la biblioteca | ara: لغز المكتبة
    vie: Bí ẩn thư viện | som: Sirta maktabadda | chi: 图书馆之谜 | hat: Mistè bibliyotèk la
    por: O mistério da biblioteca | kor: 도서관의 비밀
cd | Soccer -- Fiction | Teamwork (Sports) -- Fiction
    A middle school soccer team learns to play together before the championship game.
    eng: Maya's goal | spa: El gol de Sofía | ara: هدف ليلى | vie: Bàn thắng của Lan
    chi: 小兰的进球 | hat: Gòl Nadia a | por: O gol de Ana | kor: 지우의 골
cd | Space flight -- Fiction | Science fiction
    A girl stows away on a spaceship and must help its crew find the way home.
    eng: Journey to the stars | spa: Viaje a las estrellas | ara: رحلة إلى النجوم
    vie: Chuyến du hành tới các vì sao | chi: 星际旅行 | hat: Vwayaj nan zetwal yo
    por: Viagem às estrelas | kor: 별을 향한 여행
bcd | Immigrants -- Fiction | Family life -- Fiction | Bilingualism -- Fiction
    A boy learns that he can carry two languages and two homes in his heart.
    eng: My two homes | spa: Mis dos casas | ara: لي بيتان | vie: Hai ngôi nhà của em
    chi: 我的两个家 | hat: De kay mwen yo | por: Minhas duas casas | kor: 나의 두 집
""")

# Graphic-novel series: the title is the series name, each volume a number ($n, 490 $v).
GN_SERIES = _stories("""
bc | Cats -- Fiction | Mystery and detective stories
    The detective cats solve another case in their neighborhood.
    eng: The detective cats | spa: Los gatos detectives | ara: القطط المحققة
    vie: Những chú mèo thám tử | chi: 侦探猫 | por: Os gatos detetives | kor: 탐정 고양이
    hat: Chat detektif yo
cd | Superheroes -- Fiction | Friendship -- Fiction
    Two friends discover that they have superpowers and must learn to use them well.
    eng: Hero school | spa: Escuela de héroes | ara: مدرسة الأبطال
    vie: Trường học siêu anh hùng | chi: 英雄学校 | por: Escola de heróis | kor: 영웅 학교
""")

FIRST_WORDS_DEWEY = {
    "eng": "428.1",
    "spa": "463.21",
    "ara": "492.78",
    "vie": "495.922",
    "som": "493.54",
    "chi": "495.13",
    "hat": "447.9729",
    "por": "469.81",
    "kor": "495.781",
}
POETRY_DEWEY = {
    "eng": "811.6",
    "spa": "861.7",
    "ara": "892.717",
    "vie": "895.9221",
    "som": "893.541",
    "chi": "895.116",
    "hat": "841.92",
    "por": "869.1",
    "kor": "895.715",
}

# Page counts by 008/22 audience, for 300 and for AR points.
PAGES = {"a": (24, 32), "b": (32, 64), "c": (96, 240), "d": (180, 380), "j": (32, 160)}
